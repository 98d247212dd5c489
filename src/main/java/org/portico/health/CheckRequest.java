package org.portico.health;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.portico.config.HealthCheck;
import org.portico.config.WorkerConfig;

/**
 * The request mod_proxy_hcheck sends for one member, byte for byte:
 * {@code METHOD target HTTP/1.x CRLF Host: host:port CRLF CRLF}, nothing else, HTTP/1.0 unless the
 * method is a {@code *11} form. Observed on httpd 2.4 (Debian): the target is the member's path, then
 * {@code /} and {@code hcuri} when hcuri is set ({@code /app} + {@code /hc} gives {@code /app//hc},
 * {@code /} + {@code /s} gives {@code ///s}); OPTIONS always asks for {@code *}.
 *
 * @param method the HTTP method (GET, HEAD or OPTIONS)
 * @param http11 whether the request line says HTTP/1.1
 */
public record CheckRequest(String method, String target, boolean http11, String host) {

    /** The request for {@code member} under {@code hc}; the method must be an HTTP one. */
    public static CheckRequest of(WorkerConfig member, HealthCheck hc) {
        String m = hc.method().toUpperCase(Locale.ROOT);
        boolean http11 = m.endsWith("11");
        String method = http11 ? m.substring(0, m.length() - 2) : m;
        return new CheckRequest(method, target(member.path(), hc.uri(), method), http11,
                member.host() + ":" + member.port());
    }

    /**
     * httpd's target. One deviation: with neither a path nor an hcuri httpd sends an empty target
     * ({@code GET  HTTP/1.0}), which every conforming server answers 400, failing a healthy member;
     * Portico sends {@code /}.
     */
    static String target(String memberPath, String hcuri, String method) {
        if (method.equals("OPTIONS")) {
            return "*";
        }
        String t = hcuri.isEmpty() ? memberPath : memberPath + (memberPath.isEmpty() ? "" : "/") + hcuri;
        return t.isEmpty() ? "/" : t;
    }

    /** Whether the response to this request carries a body to read (GET only). */
    public boolean readsBody() {
        return method.equals("GET");
    }

    public byte[] bytes() {
        return (method + " " + target + " HTTP/1." + (http11 ? "1" : "0") + "\r\nHost: " + host + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return method + " " + target;
    }
}
