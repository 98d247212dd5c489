package org.portico.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Poll;

/** The tunnel's two directions, its half-close, failure and idle rules, on scripted ends. */
class TunnelTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger closedCalls = new AtomicInteger();
    private final AtomicLong toBackend = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private Tunnel tunnel(ScriptedEnd client, ScriptedEnd backend, Duration idle) {
        return new Tunnel("test", client, backend, idle, timer, toBackend::addAndGet, toClient::addAndGet,
                closedCalls::incrementAndGet);
    }

    private static ScriptedEnd manual() {
        return new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null);
    }

    @Test
    void theEndOfOneDirectionShutsTheOtherSidesOutputAndTheTunnelClosesWhenBothEnded() {
        ScriptedEnd client = manual().chunks("ping".getBytes());
        ScriptedEnd backend = manual().chunks("pong".getBytes());
        Tunnel t = tunnel(client, backend, Duration.ofMinutes(1));
        t.start();
        client.completeRead();
        backend.completeWrite();
        client.completeRead(); // the client half-closed
        assertTrue(backend.outputShut, "the backend sees the end of the client's stream");
        assertFalse(t.closed(), "the backend may still answer");
        backend.completeRead();
        client.completeWrite();
        assertEquals("pong", new String(client.written()));
        backend.completeRead(); // the backend ended too
        assertTrue(t.closed());
        assertTrue(client.closed && backend.closed);
        assertEquals(1, closedCalls.get());
        assertEquals(4, toBackend.get());
        assertEquals(4, toClient.get());
    }

    @Test
    void aFailureEitherWayClosesBothEndsOnce() {
        ScriptedEnd client = manual();
        ScriptedEnd backend = manual();
        Tunnel t = tunnel(client, backend, Duration.ofMinutes(1));
        t.start();
        backend.failRead(new IOException("reset by the backend"));
        assertTrue(t.closed());
        assertTrue(client.closed && backend.closed);
        client.failRead(new IOException("closed")); // the client's pending read fails as its end closes
        t.close();
        assertEquals(1, closedCalls.get());
    }

    @Test
    void noByteEitherWayForTheIdleTimeoutClosesTheTunnel() throws Exception {
        ScriptedEnd client = manual();
        ScriptedEnd backend = manual();
        Tunnel t = tunnel(client, backend, Duration.ofMillis(200));
        long t0 = System.nanoTime();
        t.start();
        Poll.until(Duration.ofSeconds(10), t::closed, c -> c);
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(200).toNanos());
        assertTrue(client.closed && backend.closed);
        assertEquals(1, closedCalls.get());
    }

    @Test
    void trafficKeepsATunnelOpenPastItsIdleTimeout() throws Exception {
        ScriptedEnd client = manual();
        for (int i = 0; i < 200; i++) { // more than the pacer can deliver before it is stopped
            client.chunks(new byte[] {(byte) i});
        }
        ScriptedEnd backend = manual();
        // 3 s idle against a byte every 100 ms (at a fixed rate, never sooner) until 45 have passed: at least 4.5 s
        // of traffic with no three seconds idle, unless a busy machine stalls the pacer thirtyfold
        Tunnel t = tunnel(client, backend, Duration.ofSeconds(3));
        t.start();
        long t0 = System.nanoTime();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try {
            pacer.scheduleAtFixedRate(() -> {
                client.completeRead();
                backend.completeWrite();
            }, 100, 100, TimeUnit.MILLISECONDS);
            Poll.until(Duration.ofSeconds(30), toBackend::get, n -> n >= 45);
        } finally {
            pacer.shutdownNow();
        }
        long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertTrue(millis >= 4_400, "45 bytes at a fixed rate of one per 100 ms took " + millis + " ms");
        assertFalse(t.closed(), "closed after " + millis + " ms of traffic");
        Poll.until(Duration.ofSeconds(10), t::closed, c -> c);
    }
}
