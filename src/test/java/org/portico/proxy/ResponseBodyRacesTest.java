package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.portico.proxy.ContainerOutput.pattern;
import static org.portico.proxy.ContainerOutput.slice;
import static org.portico.proxy.Interleaving.BOUND;
import static org.portico.proxy.Interleaving.awaitBlocked;
import static org.portico.proxy.Interleaving.concat;
import static org.portico.proxy.Interleaving.join;
import static org.portico.proxy.Interleaving.onAnotherThread;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.portico.backend.BackendChannel;
import org.portico.proxy.ResponseBody.State;

/**
 * {@link ResponseBody} under the racy orders of a real proxy, forced with latches (in the manner of
 * Jetty's {@code SerializedInvokerTest}): a container callback that meets the reactor inside the lock, a
 * client error just before the last drain reports delivery, an abandon that meets the last drain on a
 * container thread, chunks never reused while the container may still send from them; then the whole
 * under stress, many times over.
 */
class ResponseBodyRacesTest {

    private static final int CHUNK = BackendChannel.CHUNK;

    private final RecordingOutcome exchange = new RecordingOutcome();

    private ResponseBody body(ContainerOutput out, long expectedLength, boolean oneShot) {
        return new ResponseBody(exchange, out, exchange.announcedLength::set, expectedLength, oneShot);
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
            b.updateCapacity(exchange);
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
            assertEquals(180, exchange.credit.get());
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
        Semaphore window = new Semaphore(BackendChannel.WINDOW);
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
            } else if (backendDone.get() && !out.hasPendingWrite() && !b.state().isFinal()) {
                // in this order: once the backend is done, only a write pending now could still end the body
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
}
