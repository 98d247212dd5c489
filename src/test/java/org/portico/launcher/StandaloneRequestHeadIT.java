package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.RawHttp;
import org.portico.testkit.RecordedRequest;

/**
 * Request heads in the jar as httpd takes them (LimitRequestLine, LimitRequestFieldSize and LimitRequestFields at
 * their defaults): a head of up to the jar's 64 KiB made of lines within the limits reaches the backend, a longer
 * line or a 101st field is refused with httpd's status and page, and the connection is closed after it. The fidelity kit
 * compares the same against a real httpd (h.big-head, h.field-*, h.line-*).
 */
@Timeout(120)
class StandaloneRequestHeadIT {

    private static Backend backend;
    private static PorticoProcess portico;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.start("origin");
        portico = PorticoProcess.start(List.of(), "--config", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="%s/"/>
                </portico>
                """.formatted(backend.origin())).toString(), "--port", "0");
        port = URI.create(portico.awaitUrl(Duration.ofSeconds(30))).getPort();
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

    @Test
    void aHeadOf7FieldsOf8000BytesReachesTheBackendWholeAndOneOverTheJars64KiBGets431() throws Exception {
        StringBuilder fields = new StringBuilder();
        for (int i = 10; i < 17; i++) {
            fields.append("X-F").append(i).append(": ").append(value(i)).append("\r\n");
        }
        String answer = exchange("GET /name/big-head HTTP/1.1\r\nHost: h\r\n" + fields + "Connection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer.lines().findFirst().orElse(answer));
        RecordedRequest seen = backend.onlyRequestUnder("/name/big-head");
        for (int i = 10; i < 17; i++) {
            assertEquals(value(i), seen.header("X-F" + i), "X-F" + i);
        }
        // 200,000 lines of "a:b": Jetty stops at 64 KiB at once, where a 1 MiB bound let Jetty's field list take seconds
        long start = System.nanoTime();
        String tiny = exchange("GET /name/tiny HTTP/1.1\r\nHost: h\r\n" + "a:b\r\n".repeat(200_000) + "\r\n");
        assertTrue(tiny.startsWith("HTTP/1.1 431 "), tiny.lines().findFirst().orElse(tiny));
        assertTrue(backend.receivedUnder("/name/tiny").isEmpty());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "answered within 10 s, not after parsing 1 MB of fields");
    }

    @Test
    void aFieldLineOf8192BytesGets400WithHttpdsPageAndTheConnectionCloses() throws Exception {
        String ok = exchange("GET /field/ok HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(8191 - 7) + "\r\nConnection: close\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200 "), "8,191 bytes pass: " + ok.lines().findFirst().orElse(ok));
        // no Connection: close from the client: the refusal closes the connection itself
        String refused = exchange("GET /field/over HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(8192 - 7) + "\r\n\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 400 "), refused);
        assertTrue(refused.contains("<p>Your browser sent a request that this server could not understand.<br />\n"
                + "Size of a request header field exceeds server limit.</p>\n"), refused);
        assertTrue(backend.receivedUnder("/field/over").isEmpty(), "a refused request reaches no backend");
    }

    @Test
    void aRequestLineOf8192BytesGets414AndA101stFieldGets400() throws Exception {
        String target = "/line/" + "a".repeat(8192 - 13 - 6);
        String refused = exchange("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 414 "), refused.lines().findFirst().orElse(refused));
        assertTrue(refused.contains("<title>414 Request-URI Too Long</title>"), refused);
        String ok = exchange("GET " + target.substring(0, target.length() - 1) + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200 "), "8,191 bytes pass: " + ok.lines().findFirst().orElse(ok));

        String many = exchange("GET /many HTTP/1.1\r\nHost: h\r\n" + "X-F: 1\r\n".repeat(100) + "\r\n");
        assertTrue(many.startsWith("HTTP/1.1 400 "), many.lines().findFirst().orElse(many));
        assertTrue(many.contains("The number of request header fields exceeds this server's limit."), many);
    }

    /** The 7,993 characters of field X-F{@code i}: its number over and over, so that a field mixed up shows. */
    private static String value(int i) {
        return Integer.toString(i).repeat(4000).substring(0, 7993);
    }

    /** Sends {@code request} and reads the answer until the server closes the connection. */
    private static String exchange(String request) throws IOException {
        return new RawHttp("127.0.0.1", port).answerUntilClose(request);
    }
}
