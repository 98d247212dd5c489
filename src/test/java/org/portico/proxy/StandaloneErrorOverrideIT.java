package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;

/** ProxyErrorOverride: listed backend errors are answered with Portico's own page, others pass through. */
@Timeout(60)
class StandaloneErrorOverrideIT {

    private static Backend backend;
    private static PorticoProcess portico;
    private static String url;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.start("origin");
        portico = PorticoProcess.start(List.of(), "--config", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <settings error-override="true" error-override-statuses="500 503 401"/>
                  <pass path="/" to="%s/"/>
                </portico>
                """.formatted(backend.origin())).toString(), "--port", "0");
        url = portico.awaitUrl(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listedBackendErrorIsReplacedByPorticosPage() throws Exception {
        HttpResponse<String> r = get("/status/503");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("<title>503 Service Unavailable</title>"), r.body());
        assertTrue(!r.body().contains("status 503"), "the backend's body must not reach the client: " + r.body());
    }

    @Test
    void overriddenServerErrorGetsHttpdsPageUnderTheBackendsReasonPhrase() throws Exception {
        HttpResponse<String> r = get("/status/500");
        assertEquals(500, r.statusCode());
        // httpd titles the page with the backend's status line; a Jetty backend says "500 Server Error"
        assertTrue(r.body().contains("<title>500 Server Error</title>\n</head><body>\n<h1>Server Error</h1>\n"
                + "<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\n"
                + "your request.</p>\n<p>Please contact the server administrator at \n [no address given] to inform"), r.body());
        // the standalone jar sends httpd's spelling, which Jetty's servlet layer would re-spell without the space
        assertEquals("text/html; charset=iso-8859-1", r.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void overriddenUnauthorizedGetsPorticosPage() throws Exception {
        HttpResponse<String> r = get("/status/401");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("<title>401 Unauthorized</title>"), r.body());
    }

    @Test
    void unlistedErrorAndSuccessPassThrough() throws Exception {
        HttpResponse<String> notFound = get("/status/404");
        assertEquals(404, notFound.statusCode());
        assertEquals("status 404\n", notFound.body());
        HttpResponse<String> ok = get("/name");
        assertEquals(200, ok.statusCode());
        assertEquals("origin", ok.body());
    }

    @Test
    void connectionIsReusableAfterAnOverriddenLargeBody() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(500, get("/status/500").statusCode());
            assertEquals(200, get("/name").statusCode());
        }
    }
}
