package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.portico.testkit.Http;
import org.portico.testkit.RawHttp;
import org.portico.testkit.RawHttp.Conversation;
import org.portico.testkit.RawHttp.RawResponse;

/**
 * What every group of proxy checks needs: the deployed proxy's address, the backends behind it, and
 * clients that speak to the proxy through the web app's context path.
 */
interface ProxyUnderTest {

    /** The start of Portico's own error pages (httpd 2.4.71's DOCTYPE), which container pages lack. */
    String PORTICO_DOCTYPE = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"";

    /** The servlet containers the checks run in; where they differ, the checks say so. */
    enum Container { JETTY, TOMCAT }

    ProxyTopology topology();

    /** The web app's base URL, ending in '/': {@code http://127.0.0.1:port/portico/}. */
    URI base();

    Container container();

    /** {@code /portico}: the context path, without a trailing slash. */
    default String contextPath() {
        String p = base().getRawPath();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** {@code 127.0.0.1:port}, the Host a client sends. */
    default String front() {
        return base().getHost() + ":" + base().getPort();
    }

    /** The URL of {@code pathAndQuery} (starting with '/', raw) inside the web app. */
    default URI uri(String pathAndQuery) {
        return URI.create("http://" + front() + contextPath() + pathAndQuery);
    }

    default HttpResponse<String> get(String pathAndQuery, String... headerPairs) {
        return Http.get(uri(pathAndQuery), headerPairs);
    }

    /**
     * Sends a request on a fresh socket exactly as given: {@code target} is appended to the context path,
     * {@code headerLines} follow Host, and {@code Connection: close} ends the head unless a Connection
     * line is among them.
     */
    default RawResponse raw(String method, String target, String body, String... headerLines) {
        try {
            return new RawHttp(base().getHost(), base().getPort()).exchange(requestText(method, target, body, headerLines));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed", e);
        }
    }

    /** Like {@link #raw}, but returns the open conversation after sending, to read the response step by step. */
    default Conversation converse(String method, String target, String... headerLines) throws IOException {
        Conversation c = new RawHttp(base().getHost(), base().getPort()).open();
        try {
            c.send(requestText(method, target, null, headerLines));
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    private String requestText(String method, String target, String body, String... headerLines) {
        StringBuilder r = new StringBuilder(method).append(' ').append(contextPath()).append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(front()).append("\r\n");
        boolean connection = false;
        for (String line : headerLines) {
            r.append(line).append("\r\n");
            connection |= line.regionMatches(true, 0, "Connection:", 0, 11);
        }
        if (!connection) {
            r.append("Connection: close\r\n");
        }
        r.append("\r\n");
        if (body != null) {
            r.append(body);
        }
        return r.toString();
    }

    default RawResponse rawGet(String target, String... headerLines) {
        return raw("GET", target, null, headerLines);
    }

    /** Asserts httpd's canned error page (spec section 6) with the given status and title. */
    default void assertErrorPage(int status, String title, int actualStatus, String contentType, String body) {
        assertEquals(status, actualStatus, () -> "status; body: " + body);
        // Jetty writes the parameter without the space
        String type = contentType == null ? null : contentType.toLowerCase(Locale.ROOT).replace(";charset", "; charset");
        assertEquals("text/html; charset=iso-8859-1", type);
        assertTrue(body.contains("<title>" + title + "</title>"), () -> "title " + title + " in: " + body);
    }

    default void assertErrorPage(int status, String title, HttpResponse<String> r) {
        assertErrorPage(status, title, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    }

    /**
     * Asserts that the container itself refused a raw GET of {@code target} with 400 before Portico saw
     * it: not Portico's error page, and no backend received anything.
     */
    default void assertRefusedByContainer(String target, String... headerLines) {
        int before = topology().alpha.received().size() + topology().beta.received().size();
        RawResponse r = rawGet(target, headerLines);
        assertEquals(400, r.status(), () -> r.statusLine() + "\n" + r.bodyText());
        assertFalse(r.bodyText().contains(PORTICO_DOCTYPE), () -> "Portico, not the container, answered: " + r.bodyText());
        assertEquals(before, topology().alpha.received().size() + topology().beta.received().size(),
                "a backend received the refused request");
    }
}
