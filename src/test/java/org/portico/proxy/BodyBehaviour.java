package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.RawHttp.Conversation;
import org.portico.testkit.RawHttp.RawResponse;
import org.portico.testkit.RecordedRequest;

/** Request and response bodies and their framing (spec section 9: body modes; no body for HEAD, 204, 304). */
interface BodyBehaviour extends ProxyUnderTest {

    @Test
    default void postWithContentLengthArrivesIntactWithTheSameLength() {
        byte[] body = pattern(70_000);
        HttpResponse<String> r = Http.send(Http.request(uri("/alpha/body/with-length"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertEquals(200, r.statusCode(), r::body);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/body/with-length");
        assertEquals("70000", received.header("Content-Length"), received::toString);
        assertNull(received.header("Transfer-Encoding"), received::toString);
        assertArrayEquals(body, received.body());
    }

    /** httpd reads a chunked body ahead up to 16 KiB: one that ends within them goes with a Content-Length. */
    @Test
    default void smallChunkedPostArrivesWithAContentLengthAsHttpdSendsIt() {
        String chunked = "5\r\nhello\r\n1; ext=1\r\n,\r\n6\r\n world\r\n0\r\n\r\n";
        RawResponse r = raw("POST", "/alpha/body/chunked", chunked,
                "Transfer-Encoding: chunked", "Content-Type: text/plain");
        assertEquals(200, r.status(), r::bodyText);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/body/chunked");
        assertEquals("hello, world", received.bodyText());
        assertEquals("12", received.header("Content-Length"), received::toString);
        assertNull(received.header("Transfer-Encoding"), received::toString);
        assertEquals("text/plain", received.header("Content-Type"));
    }

    /** Past 16 KiB the body goes on chunked, the bytes read ahead first, whole and in order. */
    @Test
    default void chunkedPostLongerThanTheReadAheadGoesOnChunkedAndIntact() {
        byte[] body = pattern(100_000);
        StringBuilder chunked = new StringBuilder();
        for (int at = 0; at < body.length; at += 7_000) {
            int n = Math.min(7_000, body.length - at);
            chunked.append(Integer.toHexString(n)).append("\r\n")
                    .append(new String(body, at, n, java.nio.charset.StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        RawResponse r = raw("POST", "/alpha/body/long-chunked", chunked.toString(), "Transfer-Encoding: chunked");
        assertEquals(200, r.status(), r::bodyText);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/body/long-chunked");
        assertEquals("chunked", received.header("Transfer-Encoding"), received::toString);
        assertNull(received.header("Content-Length"), received::toString);
        assertArrayEquals(body, received.body());
    }

    /** An empty chunked body is read ahead whole too: Content-Length: 0. */
    @Test
    default void emptyChunkedPostArrivesWithContentLengthZero() {
        RawResponse r = raw("POST", "/alpha/body/empty-chunked", "0\r\n\r\n", "Transfer-Encoding: chunked");
        assertEquals(200, r.status(), r::bodyText);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/body/empty-chunked");
        assertEquals("0", received.header("Content-Length"), received::toString);
        assertNull(received.header("Transfer-Encoding"), received::toString);
    }

    /**
     * Larger than the proxy's 16 KiB body buffer, small enough to reach the container in one piece:
     * Tomcat then reports all data read while the rest still waits in the servlet stream.
     */
    @Test
    default void postBodyThatOverfillsTheProxyBufferArrivesComplete() {
        byte[] body = pattern(20_000);
        HttpResponse<String> r = Http.send(Http.request(uri("/alpha/body/overfill"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertEquals(200, r.statusCode(), r::body);
        assertArrayEquals(body, topology().alpha.onlyRequestUnder("/body/overfill").body());
    }

    /**
     * Request bodies streamed one after another through the same worker. When the reactor and the
     * container's threads could deadlock over a body (our lock against Tomcat's socket lock), this
     * hung within a few hundred rounds; it is a probe, not a proof.
     */
    @Test
    default void manyRequestBodiesInARowAllArrive() {
        byte[] body = pattern(70_000);
        int rounds = 300;
        for (int i = 0; i < rounds; i++) {
            HttpResponse<String> r = Http.send(Http.request(uri("/alpha/body/round-" + i))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertEquals(200, r.statusCode(), r::body);
        }
        assertEquals(rounds, topology().alpha.receivedUnder("/body/round-").stream()
                .filter(received -> received.body().length == body.length).count());
    }

    @Test
    default void postWithContentLengthZeroArrivesWithContentLengthZero() {
        RawResponse r = raw("POST", "/alpha/body/empty", "", "Content-Length: 0");
        assertEquals(200, r.status(), r::bodyText);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/body/empty");
        assertEquals("POST", received.method());
        assertEquals("0", received.header("Content-Length"), received::toString);
        assertEquals(0, received.body().length);
    }

    @Test
    default void headGetsNoBodyButKeepsTheBackendsContentLength() {
        RawResponse r = raw("HEAD", "/alpha/big/head?bytes=5000", null);
        assertEquals(200, r.status());
        assertEquals("5000", r.header("Content-Length"), () -> r.headers().toString());
        assertEquals(0, r.afterBody().length, () -> new String(r.afterBody(), StandardCharsets.ISO_8859_1));
        assertEquals("HEAD", topology().alpha.onlyRequestUnder("/big/head").method());
    }

    @Test
    default void noContentAndNotModifiedResponsesHaveNoBody() {
        for (int status : new int[] {204, 304}) {
            RawResponse r = rawGet("/alpha/status/" + status);
            assertEquals(status, r.status());
            assertEquals(0, r.body().length);
            assertEquals(0, r.afterBody().length, () -> status + " had a body: "
                    + new String(r.afterBody(), StandardCharsets.ISO_8859_1));
            assertNull(r.header("Transfer-Encoding"), () -> r.headers().toString());
            assertNull(r.header("Content-Length"), () -> status + " gained a Content-Length: " + r.headers());
        }
    }

    @Test
    default void largeResponsesStreamCompletelyWithTheirFraming() {
        int size = 1_000_000;
        RawResponse withLength = rawGet("/alpha/big?bytes=" + size);
        assertEquals(200, withLength.status());
        assertEquals(String.valueOf(size), withLength.header("Content-Length"));
        assertTrue(withLength.complete());
        assertArrayEquals(pattern(size), withLength.body());

        RawResponse chunked = rawGet("/alpha/big?bytes=" + size + "&chunked=true");
        assertEquals(200, chunked.status());
        assertNull(chunked.header("Content-Length"), () -> chunked.headers().toString());
        assertTrue(chunked.complete(), "the last chunk arrived");
        assertFalse(chunked.body().length < size);
        assertArrayEquals(pattern(size), chunked.body());
    }

    @Test
    default void midSizeResponsesKeepTheirLengthWhetherTheyArriveWholeOrInPieces() {
        // between the containers' 8 KiB and one 32 KiB backend read: a body that arrives whole goes out in
        // one write into a buffer grown to hold it; the backend's /big flushes every 8 KiB, so it does not
        for (int size : new int[] {8192, 16384, 32767}) {
            RawResponse pieces = rawGet("/alpha/big/mid?bytes=" + size);
            assertEquals(String.valueOf(size), pieces.header("Content-Length"), () -> pieces.headers().toString());
            assertNull(pieces.header("Transfer-Encoding"), () -> pieces.headers().toString());
            assertArrayEquals(pattern(size), pieces.body());
        }
        byte[] body = pattern(20_000);
        HttpResponse<byte[]> whole = Http.sendForBytes(Http.request(uri("/alpha/echo-body"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertEquals(200, whole.statusCode());
        assertEquals("20000", whole.headers().firstValue("Content-Length").orElse(null), () -> whole.headers().toString());
        assertTrue(whole.headers().firstValue("Transfer-Encoding").isEmpty(), () -> whole.headers().toString());
        assertArrayEquals(body, whole.body());
    }

    /**
     * A chunked body the container cannot parse (a bad size digit, a size beyond 64 bits, more data than
     * the size said) gets 400, and the backend never sees a complete request: its exchange is aborted.
     */
    @Test
    default void malformedChunkedBodiesGetBadRequestAndTheBackendExchangeIsAborted() throws Exception {
        Map<String, String> malformed = new LinkedHashMap<>();
        malformed.put("bad-digit-alone", "5x\r\n");
        malformed.put("bad-digit", "5x\r\nhello\r\n0\r\n\r\n");
        malformed.put("overflowing-size", "1" + "0".repeat(17) + "5\r\nhello\r\n0\r\n\r\n");
        malformed.put("longer-than-size", "5\r\nhello, world\r\n0\r\n\r\n");
        for (Map.Entry<String, String> m : malformed.entrySet()) {
            String path = "/body/malformed-" + m.getKey();
            RawResponse r;
            try {
                r = raw("POST", "/alpha" + path, m.getValue(), "Transfer-Encoding: chunked");
            } catch (UncheckedIOException closed) {
                // Tomcat takes a body it cannot parse for a broken connection: it closes without an answer, ours or its own
                assertEquals(Container.TOMCAT, container(), () -> m.getKey() + ": " + closed.getCause());
                r = null;
            }
            if (r != null) {
                RawResponse answer = r;
                assertEquals(400, answer.status(), () -> m.getKey() + ": " + answer.statusLine() + "\n" + answer.bodyText());
            }
            // the backend got the head and then lost the connection, or got nothing at all: never a whole request
            Poll.until(Duration.ofSeconds(10), () -> topology().alpha.reading(path), reading -> !reading);
            assertEquals(List.of(), topology().alpha.receivedUnder(path), m.getKey() + " reached the backend complete");
        }
    }

    @Test
    default void clientClosingMidUploadAbortsTheBackendExchange() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            String path = "/body/upload-abort-" + (chunked ? "chunked" : "length");
            try (Conversation c = converse("POST", "/alpha" + path,
                    chunked ? "Transfer-Encoding: chunked" : "Content-Length: 100000")) {
                // past the 16 KiB read ahead of a chunked body, so that the request goes out before the body ends
                c.send(chunked ? "4e20\r\n" + "x".repeat(20_000) + "\r\n" : "x".repeat(1000));
                Poll.until(Duration.ofSeconds(10), () -> topology().alpha.reading(path), reading -> reading);
            }
            // well within the backend's 30 s idle timeout: only the proxy dropping the connection ends it so soon
            List<RecordedRequest> aborted = Poll.until(Duration.ofSeconds(10),
                    () -> topology().alpha.abortedUnder(path), a -> !a.isEmpty());
            assertEquals(1, aborted.size(), aborted::toString);
            assertEquals(List.of(), topology().alpha.receivedUnder(path), "the backend took the cut body as complete");
        }
    }

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = Backend.patternByte(i);
        }
        return b;
    }
}
