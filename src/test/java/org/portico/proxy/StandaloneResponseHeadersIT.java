package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Http;
import org.portico.testkit.ManyHeadersBackend;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.RawHttp;
import org.portico.testkit.RawHttp.RawResponse;

/**
 * A backend response head with many fields passes, as httpd passes it (httpd counts none; HttpClient's
 * default stopped at 100 with a 502); only a head beyond {@code portico.max-response-headers} is refused.
 */
@Timeout(120)
class StandaloneResponseHeadersIT {

    private static ManyHeadersBackend backend;
    private static PorticoProcess portico;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        backend = ManyHeadersBackend.start();
        portico = PorticoProcess.start(List.of(), "--config", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
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

    private static HttpResponse<String> get(String path) {
        return Http.send(Http.request(URI.create(url + path.substring(1))).GET().build());
    }

    @Test
    void aThousandResponseHeaderFieldsReachTheClient() {
        HttpResponse<String> r = get("/headers/1000");
        assertEquals(200, r.statusCode(), r::body);
        assertEquals("ok", r.body());
        for (int i = 0; i < 1000; i++) {
            assertEquals("v" + i, r.headers().firstValue("X-H" + i).orElse(null), "field X-H" + i);
        }
    }

    @Test
    @Disabled("the whole 157 KB head arrives, but the jar then keeps the connection open despite the client's"
            + " 'Connection: close' (closed only by the 20 s header timeout); 1,000 fields close at once: not yet explained")
    void tenThousandFieldsStillPass() throws Exception {
        // with the backend's Content-Length and Connection: 10,000 fields; read raw, as java.net.http
        // refuses a head over 384 KiB by its own accounting
        URI u = URI.create(url);
        RawResponse r = new RawHttp(u.getHost(), u.getPort()).exchange(
                "GET " + u.getPath() + "headers/9998 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status(), r::bodyText);
        assertEquals("v9997", r.header("X-H9997"));
        assertEquals("ok", r.bodyText());
    }

    @Test
    void aHeadBeyondTheBoundIsABadGateway() {
        HttpResponse<String> r = get("/headers/9999");
        assertEquals(502, r.statusCode(), r::body);
        assertTrue(r.body().contains("<title>502 Proxy Error</title>"), r::body);
        assertTrue(r.headers().firstValue("X-H0").isEmpty(), "no field of the refused head reaches the client");
    }
}
