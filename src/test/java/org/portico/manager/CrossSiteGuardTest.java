package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Balancer;
import org.portico.proxy.Gateway;

/** The manager's cross-site defences, on real requests to a servlet that applies them and nothing else. */
class CrossSiteGuardTest {

    private static Server server;
    private static String origin;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** GET: the protective headers, the nonce as the body; POST: the origin check's verdict as status and body. */
    static final class Guarded extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            CrossSiteGuard.protect(req, resp);
            String body;
            if ("POST".equals(req.getMethod())) {
                try {
                    CrossSiteGuard.checkSameOrigin(req);
                    body = "admitted";
                } catch (EditRefused e) {
                    resp.setStatus(e.status());
                    body = e.getMessage();
                }
            } else {
                body = CrossSiteGuard.cspNonce(req);
            }
            resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new Guarded()), "/*");
        server.setHandler(context);
        server.start();
        origin = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static HttpResponse<String> send(String method, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(origin + "/balancer-manager"))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            r.headers(headers);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyResponseHasItsOwnScriptNonceAndStaysOutOfFramesAndCaches() throws Exception {
        HttpResponse<String> first = send("GET");
        HttpResponse<String> second = send("GET");
        String csp = first.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.startsWith("default-src 'none'; script-src 'nonce-" + first.body() + "'; style-src 'nonce-"
                + first.body() + "'"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertNotEquals(first.body(), second.body(), "a fresh nonce per response");
        assertEquals("DENY", first.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("no-store", first.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", first.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("same-origin", first.headers().firstValue("Referrer-Policy").orElse(""));
    }

    @Test
    void aChangeFromThisOriginIsAdmittedByOriginOrElseReferer() throws Exception {
        assertEquals("admitted", send("POST", "Origin", origin).body());
        assertEquals("admitted", send("POST", "Referer", origin + "/balancer-manager?b=x").body());
        assertEquals("admitted", send("POST", "Origin", origin.toUpperCase().replace("HTTP://", "http://")).body(),
                "host names compare case-insensitively");
    }

    @Test
    void aChangeFromAnotherOriginIsRefusedNamingBoth() throws Exception {
        HttpResponse<String> r = send("POST", "Origin", "http://evil.example", "Referer", origin + "/");
        assertEquals(403, r.statusCode());
        assertEquals("origin: the Origin header names http://evil.example:80, not this manager's " + origin
                + "; cross-site changes are refused", r.body());
    }

    @Test
    void aChangeWithoutOriginOrRefererIsRefusedSayingWhatToSend() throws Exception {
        HttpResponse<String> r = send("POST");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().startsWith("origin: the request has neither an Origin nor a Referer header"), r.body());
        assertTrue(r.body().endsWith("(scripts: send the header Origin: " + origin + ")"), r.body());
    }

    @Test
    void anUnreadableRefererIsRefused() throws Exception {
        HttpResponse<String> r = send("POST", "Referer", "not a url");
        assertEquals(403, r.statusCode());
        assertEquals("origin: the Referer header 'not a url' is not a URL; changes are accepted only from " + origin, r.body());
    }

    @Test
    void aChangeNeedsTheBalancersNonceUnlessChangesAreDisabled() throws Exception {
        try (Gateway g = Fixtures.gateway("""
                <balancer name="web" nonce="s3cret"><member url="http://127.0.0.1:9"/></balancer>
                <balancer name="locked" nonce=""><member url="http://127.0.0.1:9"/></balancer>
                """)) {
            Balancer web = g.balancer("web");
            CrossSiteGuard.checkNonce(Fixtures.params("nonce", "s3cret"), web);
            assertTrue(assertThrows(EditRefused.class, () -> CrossSiteGuard.checkNonce(Fixtures.params(), web))
                    .getMessage().startsWith("nonce: missing;"));
            EditRefused wrong = assertThrows(EditRefused.class,
                    () -> CrossSiteGuard.checkNonce(Fixtures.params("nonce", "s3cres"), web));
            assertEquals(403, wrong.status());
            assertTrue(wrong.getMessage().startsWith("nonce: it does not match balancer://web's nonce"), wrong.getMessage());
            assertTrue(assertThrows(EditRefused.class,
                    () -> CrossSiteGuard.checkNonce(Fixtures.params("nonce", "s3cret"), g.balancer("locked")))
                    .getMessage().contains("are disabled, because its nonce is empty"));
        }
    }
}
