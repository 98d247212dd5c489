package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.proxy.ContainerOutput.pattern;
import static org.portico.proxy.ContainerOutput.slice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.junit.jupiter.api.Test;
import org.portico.proxy.ResponseBody.State;

/**
 * {@link ResponseBody} on its own, on a scripted container stream: each state transition, the
 * backpressure (credit only for bytes the container finished writing, chunks never reused while the
 * container may still send from them), and the racy orders forced with latches (a container callback
 * that meets the reactor inside the lock, a client error or an abandon in the middle of a drain), then
 * the whole under stress, many times over.
 */
class ResponseBodyTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int CHUNK = BackendReactors.MIN_BUFFER;

    private final RecordingOutcome exchange = new RecordingOutcome();
    private final AtomicLong announcedLength = new AtomicLong(-1);
    private final AtomicLong credit = new AtomicLong();
    private final CapacityChannel capacity = credit::addAndGet;

    private ResponseBody body(ContainerOutput out, long expectedLength, boolean oneShot) {
        return new ResponseBody(exchange, out, announcedLength::set, expectedLength, oneShot);
    }

    // ------------------------------------------------------------------ transitions, one at a time

    @Test
    void aSmallBodyThatArrivesWholeGoesOutInOneWriteWithoutAWriteListener() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 5, true);
        b.start();
        assertEquals(State.AWAITING_CONTENT, b.state());
        b.consume(ByteBuffer.wrap(pattern(5, 1)));
        assertEquals(State.DELIVERED, b.state());
        assertArrayEquals(pattern(5, 1), out.sent());
        assertEquals(1, out.writes());
        assertNull(out.listener(), "no WriteListener, no dispatch");
        assertEquals(-1, announcedLength.get(), "the container frames the body it holds whole");
        assertEquals(1, exchange.delivered.get());
        b.streamEnd();
        assertEquals(1, exchange.delivered.get(), "delivered once");
    }

    @Test
    void aBodyWithoutContentIsDeliveredAtTheStreamEndWithoutAWrite() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 0, true);
        b.start();
        b.streamEnd();
        assertEquals(State.DELIVERED, b.state());
        assertEquals(0, out.writes());
        assertEquals(1, exchange.delivered.get());
    }

    @Test
    void aSmallBodyThatArrivesInPiecesStreamsWithItsContentLengthSet() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 10, true);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(10, 2), 0, 4));
        assertEquals(State.STREAMING, b.state(), "written and, the backend pausing, flushed");
        assertEquals(10, announcedLength.get(), "no longer one write into the buffer: the length is announced");
        assertSame(b, out.listener());
        assertEquals(1, out.flushes());
        b.consume(ByteBuffer.wrap(pattern(10, 2), 4, 6));
        assertEquals(State.DELIVERED, b.state(), "all announced bytes are here: delivered without waiting for the end");
        assertEquals(1, out.flushes(), "no flush for the last bytes: completing the response sends them");
        assertArrayEquals(pattern(10, 2), out.sent());
        assertEquals(1, exchange.delivered.get());
        assertNull(out.misuse(), out.misuse());
    }

    @Test
    void bytesWrittenStayUnflushedUntilTheContainerFinishedThemThenAreFlushed() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        assertEquals(State.STREAMING, b.state(), "a body of unknown length streams from the start");
        b.updateCapacity(capacity);
        b.consume(ByteBuffer.wrap(pattern(100, 3)));
        assertEquals(State.STREAMING_UNFLUSHED, b.state());
        assertTrue(out.hasPendingWrite());
        assertEquals(0, credit.get(), "no credit while the container still sends from the chunk");
        assertTrue(out.completePendingWrite());
        assertEquals(State.STREAMING, b.state(), "the backend has nothing more right now: flushed");
        assertEquals(1, out.flushes());
        assertEquals(100, credit.get(), "credit for exactly the bytes the container finished");
        assertArrayEquals(pattern(100, 3), out.sent());
        assertEquals(0, exchange.delivered.get());
    }

    @Test
    void creditEarnedBeforeHttpClientGaveItsChannelIsGrantedWhenItDoes() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(300, 4)));
        assertEquals(0, credit.get());
        b.updateCapacity(capacity);
        assertEquals(300, credit.get());
    }

    @Test
    void theStreamEndDrainsWhatIsQueuedAndThenDeliversOnce() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        byte[] all = pattern(3 * CHUNK + 7, 5);
        b.consume(ByteBuffer.wrap(all));
        b.streamEnd();
        assertEquals(State.DRAINING, b.state());
        int completed = 0;
        while (out.completePendingWrite()) {
            completed++;
        }
        assertEquals(4, completed, "one write per chunk");
        assertEquals(State.DELIVERED, b.state());
        assertArrayEquals(all, out.sent(), "every chunk intact although the next was queued while it was being sent");
        assertEquals(1, exchange.delivered.get());
        assertNull(out.misuse(), out.misuse());
    }

    @Test
    void anAbandonedBodyWritesNothingMoreAndSaysItHadNotFinished() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(10, 6)));
        assertFalse(b.abandon(), "the body had not finished");
        assertEquals(State.ABANDONED, b.state());
        ByteBuffer later = ByteBuffer.wrap(pattern(10, 7));
        b.consume(later);
        assertFalse(later.hasRemaining(), "later content is taken and dropped");
        b.streamEnd();
        assertEquals(State.ABANDONED, b.state());
        assertEquals(1, out.writes());
        assertEquals(0, exchange.delivered.get());
        assertTrue(b.abandon(), "asked again: it has finished");
    }

    @Test
    void abandoningADeliveredBodySaysItHadFinishedAndLeavesItDelivered() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 3, true);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(3, 8)));
        assertTrue(b.abandon());
        assertEquals(State.DELIVERED, b.state());
    }

    @Test
    void aWriteThatFailsIsTheClientsFailureAndEndsTheBody() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, -1, false);
        b.start();
        out.failNextWrite(new IOException("broken pipe"));
        ClientSideException e = assertThrows(ClientSideException.class, () -> b.consume(ByteBuffer.wrap(pattern(10, 9))));
        assertFalse(e.whileReading());
        assertEquals("broken pipe", e.getCause().getMessage());
        assertEquals(State.CLIENT_FAILED, b.state());
        assertTrue(b.abandon(), "a failed body has finished: nothing is left to stop");
        assertEquals(0, exchange.delivered.get());
    }

    @Test
    void aOneShotWriteThatFailsIsTheClientsFailureToo() {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 4, true);
        b.start();
        out.failNextWrite(new IOException("reset"));
        assertThrows(ClientSideException.class, () -> b.consume(ByteBuffer.wrap(pattern(4, 1))));
        assertEquals(State.CLIENT_FAILED, b.state());
        assertEquals(0, exchange.delivered.get());
    }

    @Test
    void theContainersErrorEndsTheBodyAndReachesTheExchange() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(10, 1)));
        out.clientGone(new IOException("gone"));
        assertEquals(State.CLIENT_FAILED, b.state());
        assertEquals(1, exchange.clientFailures.size());
        assertFalse(exchange.clientFailures.get(0).whileReading());
        b.streamEnd();
        assertEquals(State.CLIENT_FAILED, b.state(), "final states stay final");
        assertEquals(0, exchange.delivered.get());
    }

    @Test
    void aFinalStateIsNeverLeftNotEvenByALateContainerError() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(10, 1)));
        b.streamEnd();
        assertEquals(State.DELIVERED, b.state());
        out.clientGone(new IOException("late"));
        assertEquals(State.DELIVERED, b.state());
        assertEquals(1, exchange.delivered.get());
    }

    @Test
    void afterTheClientFailedTheBackendIsGrantedRoomToReadOnAndFindTheExchangeAborted() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.updateCapacity(capacity);
        b.unblockBackend();
        assertEquals(Integer.MAX_VALUE, credit.get());
    }

    // ------------------------------------------------------------------ forced interleavings

    /**
     * The container's onWritePossible comes while the reactor is inside consume(), holding the lock: the
     * container thread returns at once, and its drain runs on the reactor before the reactor lets go.
     */
    @Test
    void aWriteCallbackThatMeetsTheReactorInsideTheLockNeverWaitsAndIsRunByTheReactor() {
        assertTimeoutPreemptively(BOUND, () -> {
            ContainerOutput out = new ContainerOutput(false);
            ResponseBody b = body(out, -1, false);
            b.start();
            b.updateCapacity(capacity);
            b.consume(ByteBuffer.wrap(pattern(100, 1)));
            assertTrue(out.hasPendingWrite());
            b.consume(ByteBuffer.wrap(pattern(50, 2))); // queued behind the pending write; isReady() said false
            AtomicBoolean containerReturned = new AtomicBoolean();
            Thread reactor = Thread.currentThread();
            AtomicReference<Thread> drainedOn = new AtomicReference<>();
            out.onNextIsReady = () -> {
                Thread container = onAnotherThread(() -> {
                    out.completePendingWrite(); // onWritePossible: the lock is taken, so the work is handed off
                    containerReturned.set(true);
                });
                join(container);
                out.onNextWrite = () -> drainedOn.set(Thread.currentThread());
            };
            b.consume(ByteBuffer.wrap(pattern(30, 3)));
            assertTrue(containerReturned.get(), "the container thread returned while the reactor held the lock");
            assertSame(reactor, drainedOn.get(), "the reactor wrote the queued bytes before it let go");
            while (out.completePendingWrite()) {
                // the container sends the rest
            }
            assertArrayEquals(concat(pattern(100, 1), pattern(50, 2), pattern(30, 3)), out.sent());
            assertEquals(180, credit.get());
            assertNull(out.misuse(), out.misuse());
        });
    }

    /**
     * The client goes away while the reactor drains the last bytes: the body ends as the client's
     * failure, and is never reported delivered as well.
     */
    @Test
    void aClientErrorInTheMiddleOfTheLastDrainWinsAndTheBodyIsNeverReportedDelivered() {
        assertTimeoutPreemptively(BOUND, () -> {
            ContainerOutput out = new ContainerOutput(true);
            ResponseBody b = body(out, 20, false);
            b.start();
            // the container said it can take more, and then the client's error comes: the queue is empty, so the
            // reactor is about to report the body delivered
            out.onNextWrite = () -> out.afterNextReady =
                    () -> join(onAnotherThread(() -> out.clientGone(new IOException("gone"))));
            b.consume(ByteBuffer.wrap(pattern(20, 4)));
            assertEquals(State.CLIENT_FAILED, b.state());
            assertEquals(0, exchange.delivered.get());
            assertEquals(1, exchange.clientFailures.size());
        });
    }

    /**
     * The reactor abandons the body (the backend failed) while a container thread is delivering its last
     * chunk: abandon() waits for the lock, so no write is in progress when it returns, and it reports
     * the body finished, so the caller does not answer the client a second time.
     */
    @Test
    void anAbandonThatMeetsTheLastDrainOnAContainerThreadWaitsForItAndFindsTheBodyDelivered() {
        assertTimeoutPreemptively(BOUND, () -> {
            ContainerOutput out = new ContainerOutput(false);
            ResponseBody b = body(out, 10, false);
            b.start();
            b.consume(ByteBuffer.wrap(pattern(10, 5)));
            assertEquals(State.DRAINING, b.state());
            AtomicReference<Boolean> finished = new AtomicReference<>();
            AtomicReference<Thread> reactor = new AtomicReference<>();
            out.onNextIsReady = () -> {
                // on the container thread, inside its drain: the reactor comes to abandon the body now
                reactor.set(onAnotherThread(() -> finished.set(b.abandon())));
                awaitBlocked(reactor.get());
            };
            join(onAnotherThread(out::completePendingWrite));
            join(reactor.get());
            assertEquals(Boolean.TRUE, finished.get(), "abandon() found the body delivered");
            assertEquals(State.DELIVERED, b.state());
            assertEquals(1, exchange.delivered.get());
        });
    }

    /** A container that calls back once its write finished, the reactor handing it content in between. */
    @Test
    void aChunkIsNeverReusedWhileTheContainerMayStillSendFromIt() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        byte[] all = pattern(8 * CHUNK, 6);
        for (int i = 0; i < 8; i++) {
            b.consume(ByteBuffer.wrap(all, i * CHUNK, CHUNK));
            out.completePendingWrite();
        }
        b.streamEnd();
        while (out.completePendingWrite()) {
            // the rest
        }
        assertArrayEquals(all, out.sent());
        assertEquals(State.DELIVERED, b.state());
    }

    // ------------------------------------------------------------------ stress

    /**
     * A backend that sends within its credit (HttpClient's window) and a container that finishes writes
     * on its own thread and calls back when owed, racing for the lock: every byte arrives once and in
     * order, every byte is credited, nothing breaks the container's rules, and the body is delivered
     * exactly once. Repeated with known and unknown lengths and random read sizes.
     */
    @Test
    void underStressEveryByteArrivesOnceInOrderAndTheBodyIsDeliveredOnce() {
        assertTimeoutPreemptively(BOUND, () -> {
            Random random = new Random(18);
            for (int round = 0; round < 150; round++) {
                int length = 1 + random.nextInt(6 * CHUNK);
                boolean known = random.nextBoolean();
                stressRound(pattern(length, round), known, random.nextLong(), -1);
            }
        });
    }

    /** As above, with the client going away at a random point: the body ends once, delivered or failed. */
    @Test
    void underStressAClientThatGoesAwayEndsTheBodyOnceEitherDeliveredOrFailed() {
        assertTimeoutPreemptively(BOUND, () -> {
            Random random = new Random(19);
            for (int round = 0; round < 150; round++) {
                int length = 1 + random.nextInt(4 * CHUNK);
                stressRound(pattern(length, round), random.nextBoolean(), random.nextLong(), random.nextInt(6));
            }
        });
    }

    private void stressRound(byte[] all, boolean knownLength, long seed, int failAfterWrites) throws Exception {
        RecordingOutcome outcome = new RecordingOutcome();
        ContainerOutput out = new ContainerOutput(false);
        Semaphore window = new Semaphore(BackendReactors.WINDOW);
        AtomicLong credited = new AtomicLong();
        ResponseBody b = new ResponseBody(outcome, out, n -> { }, knownLength ? all.length : -1, false);
        b.start();
        b.updateCapacity(n -> {
            credited.addAndGet(n);
            window.release(n);
        });
        AtomicBoolean backendDone = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread backend = new Thread(() -> {
            Random random = new Random(seed);
            try {
                int at = 0;
                while (at < all.length && !b.state().isFinal()) {
                    int n = Math.min(all.length - at, 1 + random.nextInt(CHUNK + CHUNK / 2));
                    while (!window.tryAcquire(n, 10, TimeUnit.MILLISECONDS)) {
                        if (b.state().isFinal()) {
                            return;
                        }
                    }
                    b.consume(ByteBuffer.wrap(all, at, n));
                    at += n;
                }
                b.streamEnd();
            } catch (ClientSideException e) {
                // the client went away: HttpClient reports it to the exchange
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                backendDone.set(true);
            }
        }, "reactor");
        backend.start();
        int completed = 0;
        while (!(backendDone.get() && b.state().isFinal() && !out.hasPendingWrite())) {
            if (out.completePendingWrite()) {
                completed++;
                if (completed == failAfterWrites) {
                    out.clientGone(new IOException("gone"));
                }
            } else if (backendDone.get() && !b.state().isFinal()) {
                fail("the backend is done and nothing is pending, yet the body is " + b.state());
            } else {
                Thread.yield();
            }
        }
        join(backend);
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
        assertNull(out.misuse(), out.misuse());
        State end = b.state();
        if (end == State.DELIVERED) {
            assertEquals(1, outcome.delivered.get());
            assertArrayEquals(all, out.sent(), "every byte once, in order");
            assertEquals(all.length, credited.get(), "every byte credited once written");
        } else {
            assertEquals(State.CLIENT_FAILED, end);
            assertEquals(0, outcome.delivered.get());
            byte[] sent = out.sent();
            assertArrayEquals(slice(all, 0, sent.length), sent, "what the client got is a prefix, in order");
        }
    }

    // ------------------------------------------------------------------ helpers

    private interface Step {
        void run() throws Exception;
    }

    /** Failures of the threads a test started, checked when it joins them. */
    private static final java.util.Map<Thread, Throwable> FAILURES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Thread onAnotherThread(Step step) {
        Thread t = new Thread(() -> {
            try {
                step.run();
            } catch (Throwable e) {
                FAILURES.put(Thread.currentThread(), e);
            }
        }, "container");
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(BOUND.toMillis());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (t.isAlive()) {
            throw new AssertionError(t.getName() + " is still waiting");
        }
        Throwable failure = FAILURES.remove(t);
        if (failure != null) {
            throw new AssertionError(t.getName() + " failed", failure);
        }
    }

    /** Waits until {@code t} waits for a lock (bounded). */
    private static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED) {
            assertNotSame(Thread.State.TERMINATED, t.getState(), "it did not wait for the lock");
            if (System.nanoTime() > deadline) {
                throw new AssertionError("it never waited");
            }
            Thread.onSpinWait();
        }
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }
}
