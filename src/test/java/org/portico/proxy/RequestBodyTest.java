package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.proxy.ContainerOutput.pattern;
import static org.portico.proxy.ContainerOutput.slice;
import static org.portico.proxy.Interleaving.BOUND;
import static org.portico.proxy.Interleaving.concat;
import static org.portico.proxy.Interleaving.join;
import static org.portico.proxy.Interleaving.onAnotherThread;

import java.io.EOFException;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestBody} on its own, between a scripted container stream and a scripted HttpClient channel:
 * the listener registered only when the backend asks (100-continue), reading paused by a full buffer and
 * resumed by the backend, the client's failures kept for the backend side, and the racy orders forced
 * with latches (a container callback or an abort that meets the reactor inside produce()), then the
 * whole under stress, many times over.
 */
class RequestBodyTest {

    private final RecordingOutcome exchange = new RecordingOutcome();
    private final ClientInput client = new ClientInput();

    @Test
    void theReadListenerIsSetOnlyWhenTheBackendFirstAsksForTheBody() throws IOException {
        RequestBody body = new RequestBody(exchange, client, 5, 64);
        assertTrue(body.untouched());
        assertNull(client.listener(), "a forwarded Expect: 100-continue leaves the client waiting");
        assertEquals(1, body.available(), "HttpClient is asked for a first produce()");
        BackendChannel backend = new BackendChannel(() -> 100);
        body.produce(backend);
        assertSame(body, client.listener());
        assertFalse(body.untouched(), "from here on, another attempt cannot send the body again");
        assertEquals(0, backend.received().length);
    }

    @Test
    void aBodyGoesToTheBackendWholeAndInOrderAndEndsOnce() throws Exception {
        byte[] all = pattern(200, 1);
        RequestBody body = new RequestBody(exchange, client, all.length, 64);
        BackendChannel backend = new BackendChannel(() -> 1000);
        client.send(slice(all, 0, 150));
        body.produce(backend); // registers; the container reads at once, on this thread
        client.send(slice(all, 150, 200));
        client.end();
        runReactor(body, backend);
        assertArrayEquals(all, backend.received());
        assertEquals(1, backend.ends.get());
        assertEquals(all.length, body.sent());
        assertTrue(body.fullySent());
        assertTrue(exchange.clientFailures.isEmpty());
        assertNull(client.misuse(), client.misuse());
    }

    @Test
    void aFullBufferPausesReadingWithoutAskingTheContainerAndTheBackendResumesIt() throws IOException {
        RequestBody body = new RequestBody(exchange, client, -1, 8);
        BackendChannel backend = new BackendChannel(() -> 1000);
        client.send(pattern(20, 2));
        body.produce(backend);
        assertEquals(12, client.unread(), "one buffer read, no more");
        assertFalse(client.callbackOwed(), "isReady() was not asked: the container will not call back");
        assertTrue(backend.takeOutputRequests(), "the backend was woken for the bytes read");
        body.produce(backend);
        assertEquals(8, backend.received().length);
        assertEquals(4, client.unread(), "the backend's produce() read on once it had room");
        assertTrue(backend.takeOutputRequests());
    }

    @Test
    void aBodyThatEndsShortOfItsContentLengthIsTheClientsFailureAndNeverEndsTheBackendBody() throws IOException {
        RequestBody body = new RequestBody(exchange, client, 10, 64);
        BackendChannel backend = new BackendChannel(() -> 1000);
        body.produce(backend);
        client.send(pattern(4, 3));
        client.end();
        assertEquals(1, exchange.clientFailures.size());
        ClientSideException failure = exchange.clientFailures.get(0);
        assertTrue(failure.whileReading());
        assertTrue(failure.getCause() instanceof EOFException, String.valueOf(failure.getCause()));
        IOException thrown = assertThrows(IOException.class, () -> body.produce(backend));
        assertSame(failure, thrown, "HttpClient drops the backend connection with the client's failure");
        assertEquals(0, backend.ends.get(), "never ended as if the body were complete");
        assertFalse(body.fullySent());
    }

    @Test
    void theContainersReportOfABadBodyIsTheClientsFailure() {
        RequestBody body = new RequestBody(exchange, client, -1, 64);
        body.onError(new IOException("bad chunk"));
        assertEquals(1, exchange.clientFailures.size());
        assertTrue(exchange.clientFailures.get(0).whileReading());
    }

    @Test
    void aContainerThatRefusesTheReadListenerFailsTheClientAndNotTheReactor() throws IOException {
        RequestBody body = new RequestBody(exchange, client, -1, 64);
        client.refuseListener(new IllegalStateException("not an async request"));
        body.produce(new BackendChannel(() -> 1000)); // returns: the reactor's thread must not end
        assertEquals(1, exchange.clientFailures.size());
        assertTrue(exchange.clientFailures.get(0).whileReading());
    }

    // ------------------------------------------------------------------ forced interleavings

    /**
     * The client's next bytes arrive while the reactor is inside produce(), holding the lock: the
     * container thread returns at once, the reactor reads for it before it lets go, and wakes itself for
     * those bytes, so they are not stranded until the next unrelated event.
     */
    @Test
    void aReadCallbackThatMeetsTheReactorInsideProduceNeverWaitsAndItsBytesAreNotStranded() {
        assertTimeoutPreemptively(BOUND, () -> {
            RequestBody body = new RequestBody(exchange, client, -1, 64);
            BackendChannel backend = new BackendChannel(() -> 1000);
            body.produce(backend);
            client.send(pattern(3, 4));
            assertTrue(backend.takeOutputRequests());
            AtomicBoolean containerReturned = new AtomicBoolean();
            backend.onNextWrite = () -> {
                join(onAnotherThread(() -> {
                    client.send(pattern(5, 5)); // onDataAvailable: the lock is taken, so the read is handed off
                    containerReturned.set(true);
                }));
                assertEquals(5, client.unread(), "not read yet: the reactor holds the lock");
            };
            body.produce(backend);
            assertTrue(containerReturned.get(), "the container thread returned while the reactor held the lock");
            assertEquals(0, client.unread(), "the reactor read the bytes before it let go");
            assertTrue(backend.takeOutputRequests(), "and asked for a produce() round to send them");
            body.produce(backend);
            assertArrayEquals(concat(pattern(3, 4), pattern(5, 5)), backend.received());
        });
    }

    /**
     * The exchange aborts the body (the client failed elsewhere) while the reactor is inside produce():
     * abort() returns at once, and the next produce() fails, so HttpClient drops the backend connection
     * instead of ending a body that is not complete.
     */
    @Test
    void anAbortThatMeetsTheReactorInsideProduceNeverWaitsAndFailsTheNextProduce() {
        assertTimeoutPreemptively(BOUND, () -> {
            RequestBody body = new RequestBody(exchange, client, 100, 64);
            BackendChannel backend = new BackendChannel(() -> 1000);
            body.produce(backend);
            client.send(pattern(10, 6));
            IOException cause = new IOException("the client went away");
            AtomicReference<Thread> aborter = new AtomicReference<>();
            backend.onNextWrite = () -> {
                aborter.set(onAnotherThread(() -> body.abort(cause)));
                join(aborter.get());
            };
            body.produce(backend);
            assertNotNull(aborter.get());
            assertTrue(backend.takeOutputRequests(), "the reactor is woken to fail the body");
            assertSame(cause, assertThrows(IOException.class, () -> body.produce(backend)));
            assertEquals(0, backend.ends.get());
        });
    }

    // ------------------------------------------------------------------ stress

    /**
     * A client that sends in random pieces on its own thread, a reactor that takes random amounts, a
     * small buffer: every byte reaches the backend once and in order, the body ends once, nothing breaks
     * the container's rules. Repeated with known and unknown lengths.
     */
    @Test
    void underStressEveryByteReachesTheBackendOnceInOrderAndTheBodyEndsOnce() {
        assertTimeoutPreemptively(BOUND, () -> {
            Random random = new Random(18);
            for (int round = 0; round < 200; round++) {
                byte[] all = pattern(1 + random.nextInt(5000), round);
                RecordingOutcome outcome = new RecordingOutcome();
                ClientInput input = new ClientInput();
                RequestBody body = new RequestBody(outcome, input, random.nextBoolean() ? all.length : -1,
                        16 + random.nextInt(64));
                Random room = new Random(random.nextLong());
                BackendChannel backend = new BackendChannel(() -> room.nextInt(48));
                long seed = random.nextLong();
                Thread sender = onAnotherThread(() -> {
                    Random pieces = new Random(seed);
                    for (int at = 0; at < all.length; ) {
                        int n = Math.min(all.length - at, 1 + pieces.nextInt(100));
                        input.send(slice(all, at, at + n));
                        at += n;
                    }
                    input.end();
                });
                runReactor(body, backend);
                join(sender);
                assertTrue(outcome.clientFailures.isEmpty(), () -> String.valueOf(outcome.clientFailures));
                assertArrayEquals(all, backend.received(), "round " + round);
                assertEquals(1, backend.ends.get());
                assertEquals(all.length, body.sent());
                assertNull(input.misuse(), input.misuse());
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    /** HttpClient's reactor for one body: produce() while the body has output or asked for a round, until it ends. */
    private static void runReactor(RequestBody body, BackendChannel backend) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (backend.ends.get() == 0) {
            if (body.available() > 0 || backend.takeOutputRequests() || backend.takeOutputRequest(20)) {
                body.produce(backend);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the body never ended");
            }
        }
    }
}
