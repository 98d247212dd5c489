package org.portico.backend.ajp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.backend.BackendChannel;
import org.portico.backend.BackendException;
import org.portico.balancer.Failure;
import org.portico.config.ProxySettings;
import org.portico.config.SourceLocation;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;
import org.portico.testkit.Poll;

/**
 * The AJP channel against scripted containers: the exchange handler's contract (head, body within the credit it
 * granted, end, failures), connection reuse by END_RESPONSE's flag, the body in the packets the container asks for,
 * CPING, and mod_proxy_ajp's failure statuses.
 */
class AjpChannelTest {

    private static final long WAIT = 20;
    private final AjpProtocol protocol = new AjpProtocol();
    private FakeContainer container;
    private BackendChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        protocol.close();
        if (container != null) {
            container.close();
        }
    }

    private BackendChannel open(FakeContainer.Script script, WorkerParams.Builder params) throws Exception {
        container = new FakeContainer(script);
        WorkerConfig worker = WorkerConfig.of(container.origin(), params.build(), SourceLocation.unknown("test"));
        channel = protocol.open(worker, ProxySettings.defaults());
        return channel;
    }

    private static WorkerParams.Builder params() {
        return WorkerParams.custom().setTimeout(Duration.ofSeconds(10));
    }

    /** Reads the forward request and answers 200 with {@code body}, then END_RESPONSE(reuse), per request. */
    private static FakeContainer.Script answering(byte[] body, boolean reuse) {
        return c -> {
            while (true) {
                byte[] p;
                try {
                    p = c.read();
                } catch (java.io.EOFException e) {
                    return;
                }
                assertEquals(AjpCodes.FORWARD_REQUEST, p[0]);
                c.send(FakeContainer.Conn.headers(200, "Content-Length", Integer.toString(body.length)));
                for (int off = 0; off < body.length; off += 8184) {
                    c.send(FakeContainer.Conn.chunk(body, off, Math.min(8184, body.length - off)));
                }
                c.send(FakeContainer.Conn.end(reuse));
                if (!reuse) {
                    return;
                }
            }
        };
    }

    @Test
    void theResponseReachesTheHandlerAndTheConnectionIsReusedWhenEndResponseAllowsIt() throws Exception {
        byte[] body = "hello, ajp".getBytes();
        open(answering(body, true), params());
        for (int i = 0; i < 3; i++) {
            RecordingExchange x = new RecordingExchange("GET", null, false);
            channel.execute(x);
            assertEquals(200, x.head.get(WAIT, TimeUnit.SECONDS).getCode());
            assertArrayEquals(body, x.ended.get(WAIT, TimeUnit.SECONDS));
            Poll.until(Duration.ofSeconds(WAIT), () -> x.released, r -> r);
        }
        assertEquals(1, container.accepted.get(), "one connection for three requests");
    }

    @Test
    void endResponseWithoutReuseClosesTheConnection() throws Exception {
        open(answering(new byte[] {1}, false), params());
        for (int i = 0; i < 2; i++) {
            RecordingExchange x = new RecordingExchange("GET", null, false);
            channel.execute(x);
            x.ended.get(WAIT, TimeUnit.SECONDS);
        }
        assertEquals(2, container.accepted.get());
    }

    @Test
    void theBodyGoesInThePacketsTheContainerAsksFor() throws Exception {
        byte[] body = new byte[20_000];
        Arrays.setAll(new int[body.length], i -> body[i] = (byte) (i * 31));
        CompletableFuture<byte[]> got = new CompletableFuture<>();
        open(c -> {
            c.read(); // the forward request
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] first = c.read(); // sent unasked: the length is known
            all.write(first, 2, first.length - 2);
            while (all.size() < body.length) {
                c.send(FakeContainer.Conn.getBody(8186));
                byte[] p = c.read();
                assertEquals(((p[0] & 0xFF) << 8 | (p[1] & 0xFF)), p.length - 2);
                all.write(p, 2, p.length - 2);
            }
            got.complete(all.toByteArray());
            c.send(FakeContainer.Conn.headers(204));
            c.send(FakeContainer.Conn.end(true));
            c.in.read();
        }, params());
        RecordingExchange x = new RecordingExchange("POST", body, true);
        channel.execute(x);
        assertArrayEquals(body, got.get(WAIT, TimeUnit.SECONDS));
        assertEquals(204, x.head.get(WAIT, TimeUnit.SECONDS).getCode());
    }

    @Test
    void aBodyWithoutLengthWaitsToBeAskedAndEndsWithAnEmptyPacket() throws Exception {
        byte[] body = new byte[10_000];
        CompletableFuture<Integer> emptyAt = new CompletableFuture<>();
        open(c -> {
            c.read();
            int total = 0;
            while (true) {
                c.send(FakeContainer.Conn.getBody(8186));
                byte[] p = c.read();
                if (p.length == 0) {
                    emptyAt.complete(total);
                    break;
                }
                total += p.length - 2;
            }
            c.send(FakeContainer.Conn.headers(200, "Content-Length", "0"));
            c.send(FakeContainer.Conn.end(true));
            c.in.read();
        }, params());
        RecordingExchange x = new RecordingExchange("POST", body, false);
        channel.execute(x);
        assertEquals(body.length, emptyAt.get(WAIT, TimeUnit.SECONDS));
        x.ended.get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void withoutCreditTheChannelStopsReadingAndTheContainerIsHeldBack() throws Exception {
        int total = 16 << 20;
        byte[] chunk = new byte[8184];
        AtomicLong written = new AtomicLong();
        open(c -> {
            c.read();
            c.socket.setSendBufferSize(64 * 1024);
            c.send(FakeContainer.Conn.headers(200, "Content-Length", Integer.toString(total)));
            for (int off = 0; off < total; off += chunk.length) {
                int n = Math.min(chunk.length, total - off);
                c.send(FakeContainer.Conn.chunk(chunk, 0, n));
                written.addAndGet(n);
            }
            c.send(FakeContainer.Conn.end(true));
            c.in.read();
        }, params().setReceiveBufferSize(64 * 1024));
        RecordingExchange x = new RecordingExchange("GET", null, false);
        channel.execute(x);
        x.head.get(WAIT, TimeUnit.SECONDS);
        Poll.until(Duration.ofSeconds(WAIT), x::receivedCount, n -> n == BackendChannel.WINDOW);
        // the connection's thread waits for credit: from here on nothing can be read until the exchange grants it
        Poll.until(Duration.ofSeconds(WAIT), AjpChannelTest::aThreadWaitsForCredit, waiting -> waiting);
        assertEquals(BackendChannel.WINDOW, x.receivedCount(), "nothing beyond the initial window without credit");
        assertTrue(written.get() < 4 << 20, "the container is held back by socket buffers: " + written.get());
        x.grant(total); // credit for the rest: the channel reads on until the end
        assertEquals(total, x.ended.get(WAIT, TimeUnit.SECONDS).length);
    }

    @Test
    void aContainerThatClosesBeforeAnsweringGives503ForAGetAnd500ForAPost() throws Exception {
        open(c -> {
            byte[] p = c.read();
            if (p[1] == 4) { // POST: read its first body packet, then close
                c.read();
            }
        }, params());
        RecordingExchange get = new RecordingExchange("GET", null, false);
        channel.execute(get);
        BackendException g = (BackendException) get.failure.get(WAIT, TimeUnit.SECONDS);
        assertEquals(503, g.status(), g.getMessage());
        assertEquals(Failure.CONNECT_FAILED, g.kind(), "another member may have it");
        RecordingExchange post = new RecordingExchange("POST", new byte[100], true);
        channel.execute(post);
        BackendException p = (BackendException) post.failure.get(WAIT, TimeUnit.SECONDS);
        assertEquals(500, p.status(), p.getMessage());
        Poll.until(Duration.ofSeconds(WAIT), () -> post.released, r -> r);
    }

    @Test
    void aContainerDyingMidResponseFailsTheExchangeAfterItsHead() throws Exception {
        open(c -> {
            c.read();
            c.send(FakeContainer.Conn.headers(200, "Content-Length", "100000"));
            c.send(FakeContainer.Conn.chunk(new byte[100], 0, 100));
        }, params());
        RecordingExchange x = new RecordingExchange("GET", null, false);
        channel.execute(x);
        assertEquals(200, x.head.get(WAIT, TimeUnit.SECONDS).getCode());
        assertTrue(x.failure.get(WAIT, TimeUnit.SECONDS) instanceof BackendException);
        assertFalse(x.ended.isDone());
    }

    @Test
    void aPingedWorkerSendsCpingFirstAndAnUnansweredOneFailsOverOnTwoConnections() throws Exception {
        open(c -> {
            c.read(); // CPING, never answered
            c.in.read();
        }, params().setPing(Duration.ofMillis(200)));
        RecordingExchange x = new RecordingExchange("GET", null, false);
        long t0 = System.nanoTime();
        channel.execute(x);
        BackendException e = (BackendException) x.failure.get(WAIT, TimeUnit.SECONDS);
        assertEquals(503, e.status());
        assertEquals(Failure.PING_TIMEOUT, e.kind());
        assertEquals(2, container.accepted.get(), "httpd tries a second, new connection");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aCpongLetsTheRequestGo() throws Exception {
        open(c -> {
            byte[] cping = c.read();
            assertEquals(1, cping.length);
            assertEquals(AjpCodes.CPING, cping[0]);
            c.send(new AjpBytes().b(AjpCodes.CPONG_REPLY).fromContainer());
            assertEquals(AjpCodes.FORWARD_REQUEST, c.read()[0]);
            c.send(FakeContainer.Conn.headers(204));
            c.send(FakeContainer.Conn.end(true));
            c.in.read();
        }, params().setPing(Duration.ofSeconds(2)));
        RecordingExchange x = new RecordingExchange("GET", null, false);
        channel.execute(x);
        assertEquals(204, x.head.get(WAIT, TimeUnit.SECONDS).getCode());
    }

    @Test
    void aRefusedConnectionIs503ConnectFailed() throws Exception {
        open(c -> { }, params());
        int port = container.port();
        container.close();
        channel.close();
        channel = protocol.open(WorkerConfig.of("ajp://127.0.0.1:" + port, params().build(), SourceLocation.unknown("t")),
                ProxySettings.defaults());
        RecordingExchange x = new RecordingExchange("GET", null, false);
        channel.execute(x);
        BackendException e = (BackendException) x.failure.get(WAIT, TimeUnit.SECONDS);
        assertEquals(503, e.status());
        assertEquals(Failure.CONNECT_FAILED, e.kind());
    }

    @Test
    void aLeaseBeyondMaxWaitsForAcquireThenFails() throws Exception {
        open(c -> {
            c.read();
            c.in.read(); // holds the only connection
        }, params().setMax(1).setAcquire(Duration.ofMillis(200)));
        RecordingExchange first = new RecordingExchange("GET", null, false);
        channel.execute(first);
        Poll.until(Duration.ofSeconds(WAIT), container.accepted::get, n -> n == 1);
        RecordingExchange second = new RecordingExchange("GET", null, false);
        channel.execute(second);
        Exception e = second.failure.get(WAIT, TimeUnit.SECONDS);
        assertTrue(e instanceof java.util.concurrent.TimeoutException, e.toString());
    }

    /** Whether a thread is parked in {@link Credit#take}, the only place a connection's thread waits for credit. */
    private static boolean aThreadWaitsForCredit() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> {
            Thread.State state = e.getKey().getState();
            return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                    && Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(Credit.class.getName())
                            && f.getMethodName().equals("take"));
        });
    }
}
