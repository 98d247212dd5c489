package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * httpd's limits on a request head at their defaults, applied after the container has read it:
 * {@code LimitRequestLine} (a longer request line gets 414), {@code LimitRequestFieldSize} (a longer header field
 * line gets 400) and {@code LimitRequestFields} (more than 100 field lines get 400). httpd bounds each line and
 * the count, not the head: 99 fields of 8,000 bytes pass. The standalone jar's Jetty therefore reads heads of up
 * to {@code MAX_REQUEST_HEAD} and leaves these limits to Portico; in a WAR the container's own head limit
 * (Tomcat's {@code maxHttpHeaderSize}, 8 KiB by default) applies first. Stateless.
 */
final class RequestHeadLimits {

    /** LimitRequestFields' default. */
    static final int MAX_FIELDS = 100;
    /**
     * The longest request line or field line, without its CRLF, that httpd 2.4 reads with its 8190-byte limits:
     * 8,191 bytes pass and 8,192 are refused (measured on 2.4.71, the fidelity kit's {@code h.line-*} scenarios).
     */
    static final int MAX_LINE = 8191;

    /** A limit the head is over: the status httpd answers, the note its page carries, and what to log. */
    record Breach(int status, String note, String reason) {
    }

    private RequestHeadLimits() {
    }

    /** The first limit {@code c2p}'s head is over, or null when it is within all of them. */
    static Breach check(HttpServletRequest c2p) {
        int line = requestLineLength(c2p);
        if (line > MAX_LINE) {
            return new Breach(414, "", "a request line of " + line + " bytes, more than " + MAX_LINE);
        }
        int count = 0;
        Enumeration<String> names = c2p.getHeaderNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = c2p.getHeaders(name);
            while (values.hasMoreElements()) {
                String value = values.nextElement();
                if (++count > MAX_FIELDS) {
                    return new Breach(400, "The number of request header fields exceeds this server's limit.", "more than " + MAX_FIELDS + " header fields");
                }
                // the line as "Name: value": the container has dropped the spaces a client may have put around it
                int length = name.length() + 2 + value.length();
                if (length > MAX_LINE) {
                    return new Breach(400, "Size of a request header field exceeds server limit.", "a " + name + " field line of " + length + " bytes, more than " + MAX_LINE);
                }
            }
        }
        return null;
    }

    /** "METHOD target PROTOCOL" as sent, the target raw: its path and query. */
    private static int requestLineLength(HttpServletRequest c2p) {
        String query = c2p.getQueryString();
        return c2p.getMethod().length() + 1 + c2p.getRequestURI().length() + (query == null ? 0 : 1 + query.length())
                + 1 + c2p.getProtocol().length();
    }
}
