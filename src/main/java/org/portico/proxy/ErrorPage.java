package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** httpd's canned error responses (ap_send_error_response, proxyerror_core), byte for byte where it matters. */
public final class ErrorPage {

    private static final String DOCTYPE =
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n";

    /** The page's Content-Type as httpd spells it. */
    public static final String CONTENT_TYPE = "text/html; charset=iso-8859-1";

    /**
     * Request attribute: the Content-Type to send exactly as written. The Servlet API lets a container re-spell
     * the header (Jetty 12 sends {@code text/html;charset=iso-8859-1}); the standalone jar's Jetty puts this
     * value back below the servlet layer. Other containers ignore it.
     */
    public static final String EXACT_CONTENT_TYPE = "org.portico.proxy.exactContentType";

    /**
     * httpd's ap_status_drops_connection: after a page with one of these statuses httpd closes the connection,
     * whatever the client asked, since the request (or its unread body) may not have been read to its end.
     */
    private static final Set<Integer> DROPS_CONNECTION = Set.of(400, 408, 411, 413, 414, 500, 501, 503);

    private ErrorPage() {
    }

    /**
     * The page for {@code status}; {@code reason} is the proxy error note (null for none), shown
     * HTML-escaped as httpd does for 400, 500 and 502.
     */
    public static String html(int status, String reason) {
        boolean proxyError = reason != null && (status == 500 || status == 502 || status == 400);
        return html(status, proxyError ? "Proxy Error" : reasonPhrase(status), reason, null);
    }

    /**
     * The page as ap_send_error_response writes it: {@code phrase} is the status line's reason (httpd's title
     * is r->status_line, so "Proxy Error" for ap_proxyerror and the backend's own phrase under
     * ProxyErrorOverride), {@code reason} the error note or null, {@code method} the request's (405 names it).
     */
    public static String html(int status, String phrase, String reason, String method) {
        // error-notes with verbose-error-to=*, as ap_proxyerror sets them (add_optional_notes)
        String notes = reason == null ? "" : "The proxy server could not handle the request<p>Reason: <strong>"
                + escape(reason) + "</strong></p>";
        return page(status, phrase, notes, method);
    }

    private static String page(int status, String phrase, String notes, String method) {
        StringBuilder b = new StringBuilder(640).append(DOCTYPE)
                .append("<html><head>\n<title>").append(status).append(' ').append(phrase)
                .append("</title>\n</head><body>\n<h1>").append(phrase).append("</h1>\n")
                .append(cannedText(status, notes, method));
        return b.append("</body></html>\n").toString();
    }

    /**
     * Sends the page httpd answers a request head it refuses while reading it (414, or 400 with the
     * {@code note} ap_read_request leaves, such as "The number of request header fields exceeds this server's
     * limit."), and closes the connection after it as httpd does (both statuses drop the connection).
     */
    static void sendHeadRefusal(HttpServletRequest request, HttpServletResponse response, int status, String note)
            throws IOException {
        write(request, response, status, page(status, reasonPhrase(status), note, null));
    }

    /** httpd's get_canned_error_string, for the statuses a proxy answers itself or overrides. */
    private static String cannedText(int status, String notes, String method) {
        switch (status) {
            case 400:
                return "<p>Your browser sent a request that this server could not understand.<br />\n" + notes + "</p>\n";
            case 401:
                return "<p>This server could not verify that you\nare authorized to access the document\n"
                        + "requested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\n"
                        + "browser doesn't understand how to supply\nthe credentials required.</p>\n";
            case 403:
                return "<p>You don't have permission to access this resource.</p>\n";
            case 404:
                return "<p>The requested URL was not found on this server.</p>\n";
            case 405:
                return "<p>The requested method " + escape(method == null ? "" : method) + " is not allowed for this URL.</p>\n";
            case 408:
                return "<p>Server timeout waiting for the HTTP request from the client.</p>\n";
            case 414:
                return "<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n" + notes + "</p>\n";
            case 502:
                return "<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\n"
                        + notes + "</p>\n";
            case 503:
                return "<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\n"
                        + "problems. Please try again later.</p>\n";
            case 504:
                return "<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n";
            default:
                // 500 and every status httpd has no text for; ServerAdmin is not imported, so httpd's default
                return notes.isEmpty()
                        ? "<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\n"
                        + "your request.</p>\n<p>Please contact the server administrator at \n [no address given] to inform"
                        + " them of the time this error occurred,\n and the actions you performed just before this error.</p>\n"
                        + "<p>More information about this error may be available\nin the server error log.</p>\n"
                        : notes + "<p />\n";
        }
    }

    /**
     * Sends the page on a response that is not committed yet (blocking write of a few hundred bytes), with
     * the given header name/value pairs (such as 405's Allow) set before the page commits the response.
     */
    public static void send(HttpServletRequest request, HttpServletResponse response, int status, String reason,
                            String... headerPairs) throws IOException {
        boolean proxyError = reason != null && (status == 500 || status == 502 || status == 400);
        String phrase = proxyError ? "Proxy Error" : reasonPhrase(status);
        sendWithPhrase(request, response, status, phrase, reason, null, headerPairs);
    }

    /**
     * {@link #send(HttpServletRequest, HttpServletResponse, int, String, String...)} with the title's phrase
     * and the request method (which 405's text names) given.
     */
    public static void sendWithPhrase(HttpServletRequest request, HttpServletResponse response, int status, String phrase,
                                      String reason, String method, String... headerPairs) throws IOException {
        write(request, response, status, html(status, phrase, reason, method), headerPairs);
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, int status, String page,
                              String... headerPairs) throws IOException {
        byte[] body = page.getBytes(StandardCharsets.ISO_8859_1);
        response.reset();
        response.setStatus(status);
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            response.setHeader(headerPairs[i], headerPairs[i + 1]);
        }
        String protocol = request.getProtocol();
        if (DROPS_CONNECTION.contains(status) && protocol != null && protocol.startsWith("HTTP/1.")) {
            response.setHeader("Connection", "close"); // HTTP/2 has no Connection header; a stream ends alone
        }
        response.setContentType(CONTENT_TYPE);
        request.setAttribute(EXACT_CONTENT_TYPE, CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String reasonPhrase(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 413: return "Request Entity Too Large";
            case 414: return "Request-URI Too Long";
            case 429: return "Too Many Requests";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Error";
        }
    }

    /**
     * httpd's {@code ap_escape_html}: {@code < > & "} only, and control characters kept, so an error page that
     * quotes a URL is httpd's byte for byte; the manager's {@code Html.escape} is stricter on purpose.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
