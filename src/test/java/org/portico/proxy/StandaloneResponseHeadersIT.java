package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
    void tenThousandFieldsStillPass() throws Exception {
        // with the backend's Content-Length: 10,000 fields; read raw, as java.net.http refuses a head over
        // 384 KiB by its own accounting, on a kept-alive connection framed by the Content-Length
        URI u = URI.create(url);
        try (RawHttp.Conversation c = new RawHttp(u.getHost(), u.getPort()).open()) {
            c.send("GET " + u.getPath() + "headers/9998 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.ResponseHead head = c.readHead(false);
            assertEquals(200, head.status(), head::toString);
            assertEquals("v9997", head.header("X-H9997"));
            assertEquals("ok", new String(c.readRest().bytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aConnectionCloseExchangeIsClosedAtOnceAfterAHeadOverJettys8KiB() throws Exception {
        // Jetty 12 forgot the close when it wrote the head again in a larger buffer (jetty/jetty.project#15840): the
        // connection stayed open until the 20 s header timeout, past the raw client's 15 s wait for a byte
        URI u = URI.create(url);
        long start = System.nanoTime();
        RawResponse r = new RawHttp(u.getHost(), u.getPort())
                .exchange("GET " + u.getPath() + "headers/1000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status(), r.statusLine());
        assertEquals("v999", r.header("X-H999"));
        assertEquals("close", r.header("Connection"));
        assertEquals(0, r.afterBody().length, "nothing after the body, then the close");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "closed at once, not by the header timeout");
    }

    @Test
    void aHeadBeyondTheBoundIsABadGateway() {
        HttpResponse<String> r = get("/headers/9999");
        assertEquals(502, r.statusCode(), r::body);
        assertTrue(r.body().contains("<title>502 Proxy Error</title>"), r::body);
        assertTrue(r.headers().firstValue("X-H0").isEmpty(), "no field of the refused head reaches the client");
    }
}
