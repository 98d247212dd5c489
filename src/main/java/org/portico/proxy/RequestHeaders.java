package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;

/**
 * Copies the client's request headers to the backend request the way mod_proxy_http does (spec §3.4,
 * §9): hop-by-hop headers dropped, Host per ProxyPreserveHost, X-Forwarded-* per ProxyAddHeaders,
 * Via per ProxyVia, Max-Forwards decremented, repeated fields joined into one with ", " as httpd's
 * request reading does, everything else in its original order.
 */
final class RequestHeaders {

    /**
     * What a request to an AJP member does not take from the client: mod_proxy_ajp passes the client's headers as
     * they came, hop-by-hop ones included, except the body's framing (re-derived from the body) and Max-Forwards
     * (decremented); the Host goes first.
     */
    private static final Set<String> AJP_SKIPS = Set.of("host", "content-length",
            "transfer-encoding", "max-forwards", "expect");

    private RequestHeaders() {
    }

    /**
     * @param maxForwards the value to send, or -1 for none (already checked and decremented by the caller)
     * @param forwardExpect whether the client's {@code Expect: 100-continue} goes to the backend
     */
    static void copy(HttpServletRequest c2p, HttpRequest p2s, ProxySettings settings, WorkerConfig worker,
                     String serverName, int maxForwards, boolean forwardExpect) {
        String clientHost = c2p.getHeader("Host");
        // mod_proxy_ajp passes the client's headers as they came (hop-by-hop ones too) and carries its address in
        // AJP's own fields: the client's Host whatever ProxyPreserveHost says, no X-Forwarded-* or Via of the proxy's
        boolean ownFields = !worker.backendScheme().http();
        if (clientHost != null || !ownFields) {
            p2s.addHeader("Host", (settings.preserveHost() || ownFields) && clientHost != null ? clientHost : backendHost(worker));
        }

        Set<String> connectionTokens = HopByHop.connectionTokens(c2p.getHeaders("Connection"));
        String forwardedFor = null;
        String forwardedHost = null;
        String forwardedServer = null;
        String via = null;
        for (Enumeration<String> names = c2p.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            String lower = name.toLowerCase(Locale.ROOT);
            if (ownFields ? AJP_SKIPS.contains(lower) : HopByHop.requestSkips(lower, connectionTokens)) {
                switch (lower) {
                    case "x-forwarded-for": forwardedFor = joined(c2p, name); break;
                    case "x-forwarded-host": forwardedHost = joined(c2p, name); break;
                    case "x-forwarded-server": forwardedServer = joined(c2p, name); break;
                    case "via": via = joined(c2p, name); break;
                    default: break;
                }
                continue;
            }
            // httpd keeps one field per name, repeated ones joined with ", " (Cookie too, so a sticky route in a
            // second Cookie header is found)
            p2s.addHeader(name, joined(c2p, name));
        }
        if (worker.params().disableReuse() && !ownFields) {
            // disablereuse: this connection serves one request; HttpClient closes it after the response
            p2s.addHeader("Connection", "close");
        }
        if (forwardExpect) {
            p2s.addHeader("Expect", "100-continue");
        }
        if (maxForwards >= 0) {
            p2s.addHeader("Max-Forwards", Integer.toString(maxForwards));
        }
        if (ownFields) {
            return; // Via and X-Forwarded-* went as the client sent them
        }
        switch (settings.via()) {
            case ON:
            case FULL:
                p2s.addHeader("Via", merge(via, viaEntry(c2p, settings, serverName)));
                break;
            case OFF:
                if (via != null) {
                    p2s.addHeader("Via", via);
                }
                break;
            default: // BLOCK: no Via at all
                break;
        }
        if (settings.addHeaders()) {
            p2s.addHeader("X-Forwarded-For", merge(forwardedFor, c2p.getRemoteAddr()));
            if (clientHost != null) {
                p2s.addHeader("X-Forwarded-Host", merge(forwardedHost, clientHost));
            }
            p2s.addHeader("X-Forwarded-Server", merge(forwardedServer, serverName));
        } else {
            passThrough(p2s, "X-Forwarded-For", forwardedFor);
            passThrough(p2s, "X-Forwarded-Host", forwardedHost);
            passThrough(p2s, "X-Forwarded-Server", forwardedServer);
        }
    }

    /** httpd's Host for a worker: host, plus :port only when the URL names a port other than 80. */
    /** The request head's length on the wire: request line, header lines and the blank line. */
    static long wireLength(HttpRequest p2s) {
        long n = p2s.getMethod().length() + 1 + p2s.getPath().length() + " HTTP/1.1\r\n".length() + 2;
        for (Header h : p2s.getHeaders()) {
            n += h.getName().length() + 2 + h.getValue().length() + 2;
        }
        return n;
    }

    static String backendHost(WorkerConfig worker) {
        String host = worker.host();
        int explicitPort = worker.uri().getPort();
        return explicitPort >= 0 && explicitPort != 80 ? host + ":" + explicitPort : host;
    }

    /** httpd's Via entry: the client's protocol version, the server name and a non-default port. */
    static String viaEntry(HttpServletRequest c2p, ProxySettings settings, String serverName) {
        String protocol = c2p.getProtocol();
        String version = protocol != null && protocol.startsWith("HTTP/") ? protocol.substring(5) : "1.1";
        int port = c2p.getServerPort();
        boolean defaultPort = port == ("https".equals(c2p.getScheme()) ? 443 : 80);
        String entry = version + " " + serverName + (defaultPort || port <= 0 ? "" : ":" + port);
        return settings.via() == ProxySettings.Via.FULL ? entry + " (" + Version.PRODUCT + ")" : entry;
    }

    private static void passThrough(HttpRequest p2s, String name, String value) {
        if (value != null) {
            p2s.addHeader(name, value);
        }
    }

    private static String merge(String existing, String added) {
        return existing == null ? added : existing + ", " + added;
    }

    private static String joined(HttpServletRequest c2p, String name) {
        Enumeration<String> values = c2p.getHeaders(name);
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return first;
        }
        StringBuilder sb = new StringBuilder(first);
        while (values.hasMoreElements()) {
            sb.append(", ").append(values.nextElement());
        }
        return sb.toString();
    }
}
