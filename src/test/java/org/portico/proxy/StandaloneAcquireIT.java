package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * {@code acquire}: a request that finds the worker's pool exhausted waits for a connection at most that
 * long, then gets 503 (spec §6), however long the request holding the connection still takes.
 */
@Timeout(180)
class StandaloneAcquireIT {

    /** Far above acquire=2s and far below timeout=30s, so a loaded machine cannot blur the difference. */
    private static final Duration ON_TIME = Duration.ofSeconds(10);

    private static Backend backend;
    private static PorticoProcess portico;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.start("single");
        portico = PorticoProcess.start(List.of(), "--config", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="%1$s" max="1" acquire="2s" timeout="30s"/>
                  <pass path="/" to="%1$s/"/>
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

    /** A request a failed assertion left parked must not count as the next test's held one. */
    @AfterEach
    void releaseParked() {
        backend.releaseHeld();
    }

    private static HttpRequest get(String path) {
        // longer than the worker's timeout, so a late answer shows as slow, not as a client timeout
        return Http.request(URI.create(url + path.substring(1))).timeout(Duration.ofSeconds(60)).GET().build();
    }

    @Test
    void requestWaitingForTheOnlyConnectionGetsServiceUnavailableAtTheAcquireDeadline() throws Exception {
        CompletableFuture<HttpResponse<String>> holder = Http.sendAsync(get("/hold/first"));
        Poll.until(Duration.ofSeconds(20), backend::held, n -> n == 1);

        long start = System.nanoTime();
        HttpResponse<String> waiting = Http.send(get("/name/waiting"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(503, waiting.statusCode(), waiting::body);
        assertTrue(waiting.body().contains("<title>503 Service Unavailable</title>"), waiting::body);
        assertTrue(took.compareTo(Duration.ofMillis(1900)) >= 0, "answered before acquire=2s: " + took);
        assertTrue(took.compareTo(ON_TIME) < 0, "acquire=2s was not enforced on time: " + took);
        assertTrue(backend.received(r -> r.path().startsWith("/name/waiting")).isEmpty(), "the waiting request reached the backend");

        Poll.until(Duration.ofSeconds(10), () -> linesAbout("/name/waiting"), l -> !l.isEmpty());
        backend.releaseHeld();
        assertEquals(200, holder.get(30, TimeUnit.SECONDS).statusCode());
        List<String> logged = linesAbout("/name/waiting");
        assertEquals(1, logged.size(), () -> "one failure, one log line: " + logged);
        assertTrue(logged.get(0).contains("acquire") && logged.get(0).contains("503"), logged.get(0));

        // the deadline gave the pool's waiting lease up: the one connection serves the next request
        HttpResponse<String> next = Http.send(get("/name"));
        assertEquals(200, next.statusCode(), next::body);
        assertEquals("single", next.body());
    }

    @Test
    void manyRequestsWaitingBehindASlowOneAllGetServiceUnavailableOnTime() throws Exception {
        CompletableFuture<HttpResponse<String>> holder = Http.sendAsync(get("/hold/slow"));
        Poll.until(Duration.ofSeconds(20), backend::held, n -> n == 1);

        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            waiting.add(Http.sendAsync(get("/name/crowd" + i)));
        }
        for (CompletableFuture<HttpResponse<String>> w : waiting) {
            assertEquals(503, w.get(60, TimeUnit.SECONDS).statusCode());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(ON_TIME) < 0, "40 waiting requests were not all answered near acquire=2s: " + took);

        backend.releaseHeld();
        assertEquals(200, holder.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(200, Http.send(get("/name")).statusCode(), "no connection leaked by the expired leases");
    }

    /** Portico's log lines about requests to {@code path}. */
    private static List<String> linesAbout(String path) {
        return portico.output().lines().filter(l -> l.contains(" " + path + " ")).toList();
    }
}
