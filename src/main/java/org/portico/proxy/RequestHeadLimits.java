package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import org.portico.config.HeadLimits;

/**
 * httpd's limits on a request head, applied after the container has read it: LimitRequestLine (a longer request
 * line gets 414), LimitRequestFieldSize (a longer header field line gets 400) and LimitRequestFields (more field
 * lines get 400). httpd bounds each line and the count, not the head. The standalone jar's Jetty reads heads of up
 * to 64 KiB and leaves these limits to Portico; in a WAR the container's own head limit (Tomcat's
 * {@code maxHttpHeaderSize}, 8 KiB by default) applies first. Stateless.
 */
final class RequestHeadLimits {

    /** A limit the head is over: the status httpd answers, the note its page carries, and what to log. */
    record Breach(int status, String note, String reason) {
    }

    private RequestHeadLimits() {
    }

    /** The first of {@code limits} that {@code c2p}'s head is over, or null when it keeps all of them. */
    static Breach check(HttpServletRequest c2p, HeadLimits limits) {
        int line = requestLineLength(c2p);
        if (line > limits.longestLine()) {
            return new Breach(414, "", "a request line of " + line + " bytes, more than " + limits.longestLine());
        }
        int count = 0;
        Enumeration<String> names = c2p.getHeaderNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = c2p.getHeaders(name);
            while (values.hasMoreElements()) {
                String value = values.nextElement();
                // the line as "Name: value", the form clients send: the container has dropped the spaces a client
                // may have put around the value, so a line without the space or padded with more is measured as
                // if written so
                int length = name.length() + 2 + value.length();
                if (length > limits.longestField()) {
                    return new Breach(400, "Size of a request header field exceeds server limit.",
                            "a " + name + " field line of " + length + " bytes, more than " + limits.longestField());
                }
                // httpd refuses a line for its size while reading it, before it counts it
                if (++count > limits.fields() && limits.fields() > 0) {
                    return new Breach(400, "The number of request header fields exceeds this server's limit.",
                            "more than " + limits.fields() + " header fields");
                }
            }
        }
        return null;
    }

    /**
     * "METHOD target PROTOCOL" as sent, the target raw: its path and query. An absolute-form target
     * ({@code GET http://host/path}) counts without its scheme and host, which the Servlet API does not keep.
     */
    private static int requestLineLength(HttpServletRequest c2p) {
        String query = c2p.getQueryString();
        return c2p.getMethod().length() + 1 + c2p.getRequestURI().length() + (query == null ? 0 : 1 + query.length())
                + 1 + c2p.getProtocol().length();
    }
}
