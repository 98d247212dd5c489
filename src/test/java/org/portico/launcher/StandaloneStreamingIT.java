package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.PatternBytes;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * A gigabyte each way through the standalone jar with a 64 MiB heap, checked by digest, and a slow
 * client that must hold the backend back instead of making Portico buffer.
 */
class StandaloneStreamingIT {

    private static final long GIB = 1L << 30;
    private static Backend backend;
    private static PorticoProcess portico;
    private static String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.start("streaming");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/stream/" to="%s/"/>
                </portico>
                """.formatted(backend.origin()));
        portico = PorticoProcess.start(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                "--config", descriptor.toString(), "--port", "0");
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

    @Test
    @Timeout(120)
    void gigabyteDownloadArrivesIntactThroughSmallHeap() throws Exception {
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(URI.create(url + "stream/down?bytes=" + GIB)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals(String.valueOf(GIB), r.headers().firstValue("Content-Length").orElse(""));
        assertEquals(PatternBytes.sha256(GIB), digest(r.body()), portico.output());
    }

    @Test
    @Timeout(120)
    void gigabyteUploadArrivesIntactThroughSmallHeap() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "stream/up"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternBytes(GIB)), GIB))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(PatternBytes.sha256(GIB) + " " + GIB + "\n", r.body());
    }

    @Test
    @Timeout(120)
    void chunkedUploadAndDownloadArriveIntact() throws Exception {
        long size = 64L << 20;
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(url + "stream/up"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternBytes(size))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(PatternBytes.sha256(size) + " " + size + "\n", up.body());
        HttpResponse<InputStream> down = http.send(
                HttpRequest.newBuilder(URI.create(url + "stream/down?framing=chunked&bytes=" + size)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(down.headers().firstValue("Content-Length").isEmpty());
        assertEquals(PatternBytes.sha256(size), digest(down.body()));
    }

    @Test
    @Timeout(120)
    void slowClientHoldsTheBackendBack() throws Exception {
        long size = 512L << 20;
        long before = backend.written();
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(URI.create(url + "stream/down?bytes=" + size)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            byte[] buf = new byte[64 * 1024];
            long read = 0;
            while (read < (1 << 20)) {
                read += body.read(buf);
            }
            // stop reading; wait until backpressure reaches the backend: its write waits for the proxy to read
            Poll.until(Duration.ofSeconds(20), backend::blockedDownloads, n -> n == 1);
            long sent = backend.written() - before;
            assertTrue(sent < 64L << 20,
                    "with the client stalled after 1 MiB the backend could send only socket buffers and one window, not " + sent);
            MessageDigest md = PatternBytes.sha256();
            md.update(new PatternBytes(read).readAllBytes());
            long total = read;
            // the first MiB was read already; check the rest arrives intact
            try (PatternBytes expectedRest = new PatternBytes(size)) {
                expectedRest.skipNBytes(read);
                byte[] expected = new byte[buf.length];
                int n;
                while ((n = body.read(buf)) > 0) {
                    expectedRest.readNBytes(expected, 0, n);
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != expected[i]) {
                            throw new AssertionError("byte " + (total + i) + " differs");
                        }
                    }
                    total += n;
                }
            }
            assertEquals(size, total);
        }
    }

    private static String digest(InputStream in) throws Exception {
        MessageDigest md = PatternBytes.sha256();
        byte[] buf = new byte[256 * 1024];
        int n;
        try (in) {
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
