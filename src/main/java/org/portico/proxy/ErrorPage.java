package org.portico.proxy;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** httpd's canned error responses (ap_send_error_response, proxyerror_core), byte for byte where it matters. */
public final class ErrorPage {

    private static final String DOCTYPE =
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n";

    private ErrorPage() {
    }

    /**
     * The page for {@code status}; {@code reason} is the proxy error note (null for none), shown
     * HTML-escaped as httpd does for 500 and 502.
     */
    public static String html(int status, String reason) {
        boolean proxyError = reason != null && (status == 500 || status == 502 || status == 400);
        String phrase = proxyError ? "Proxy Error" : reasonPhrase(status);
        StringBuilder b = new StringBuilder(512).append(DOCTYPE)
                .append("<html><head>\n<title>").append(status).append(' ').append(phrase)
                .append("</title>\n</head><body>\n<h1>").append(phrase).append("</h1>\n");
        String notes = reason == null ? "" : "The proxy server could not handle the request<p>Reason: <strong>"
                + escape(reason) + "</strong></p>";
        switch (status) {
            case 502:
                b.append("<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\n")
                        .append(notes).append("</p>\n");
                break;
            case 503:
                b.append("<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\n"
                        + "problems. Please try again later.</p>\n");
                break;
            case 504:
                b.append("<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n");
                break;
            case 404:
                b.append("<p>The requested URL was not found on this server.</p>\n");
                break;
            default:
                b.append(notes.isEmpty() ? "<p>" + escape(phrase) + "</p>\n" : "<p>" + notes + "</p>\n");
                break;
        }
        return b.append("</body></html>\n").toString();
    }

    /**
     * Sends the page on a response that is not committed yet (blocking write of a few hundred bytes), with
     * the given header name/value pairs (such as 405's Allow) set before the page commits the response.
     */
    public static void send(HttpServletResponse response, int status, String reason, String... headerPairs) throws IOException {
        byte[] body = html(status, reason).getBytes(StandardCharsets.ISO_8859_1);
        response.reset();
        response.setStatus(status);
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            response.setHeader(headerPairs[i], headerPairs[i + 1]);
        }
        response.setContentType("text/html; charset=iso-8859-1");
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
