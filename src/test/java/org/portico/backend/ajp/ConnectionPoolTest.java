package org.portico.backend.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-worker pool on its own: max, LIFO reuse, ttl, acquire deadlines, cancelled waits, and a stress run. */
class ConnectionPoolTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong clock = new AtomicLong();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    static final class Conn implements AutoCloseable {
        final int id;
        volatile boolean closed;

        Conn(int id) {
            this.id = id;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A waiter whose outcome a test can wait for. */
    static final class Result implements ConnectionPool.Waiter<Conn> {
        final CompletableFuture<Conn> granted = new CompletableFuture<>();
        final CompletableFuture<Exception> refused = new CompletableFuture<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void granted(Conn idle) {
            calls.incrementAndGet();
            granted.complete(idle == null ? new Conn(-1) : idle);
        }

        @Override
        public void refused(Exception why) {
            calls.incrementAndGet();
            refused.complete(why);
        }
    }

    private ConnectionPool<Conn> pool(int max, Duration ttl) {
        return new ConnectionPool<>(max, ttl, timer, clock::get);
    }

    @Test
    void grantsUpToMaxAtOnceThenTheNextWaitsForARelease() throws Exception {
        ConnectionPool<Conn> p = pool(2, null);
        Result a = new Result();
        Result b = new Result();
        Result c = new Result();
        p.lease(10_000, a);
        p.lease(10_000, b);
        p.lease(10_000, c);
        assertEquals(-1, a.granted.getNow(null).id, "a new slot: open a connection");
        assertEquals(-1, b.granted.getNow(null).id);
        assertTrue(!c.granted.isDone() && !c.refused.isDone());
        assertEquals(1, p.waiting());
        Conn opened = new Conn(7);
        p.release(opened, true);
        assertSame(opened, c.granted.get(5, TimeUnit.SECONDS), "handed straight to the waiter");
        assertEquals(2, p.leased());
    }

    @Test
    void aWaiterIsRefusedAtItsAcquireDeadline() throws Exception {
        ConnectionPool<Conn> p = pool(1, null);
        p.lease(10_000, new Result());
        Result late = new Result();
        long t0 = System.nanoTime();
        p.lease(100, late);
        Exception why = late.refused.get(10, TimeUnit.SECONDS);
        assertTrue(why instanceof TimeoutException, why.toString());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100));
        assertEquals(0, p.waiting());
        p.release(new Conn(1), true);
        assertEquals(1, p.idle(), "nobody waits any more: the connection goes idle");
        assertEquals(1, late.calls.get(), "refused once, never granted after");
    }

    @Test
    void idleConnectionsAreReusedNewestFirstAndDroppedPastTtl() {
        ConnectionPool<Conn> p = pool(4, Duration.ofSeconds(10));
        Result r1 = new Result();
        Result r2 = new Result();
        p.lease(1000, r1);
        p.lease(1000, r2);
        Conn older = new Conn(1);
        Conn newer = new Conn(2);
        p.release(older, true);
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        p.release(newer, true);
        Result again = new Result();
        p.lease(1000, again);
        assertSame(newer, again.granted.getNow(null));
        clock.addAndGet(Duration.ofSeconds(6).toNanos()); // older now idle 11 s
        Result third = new Result();
        p.lease(1000, third);
        assertEquals(-1, third.granted.getNow(null).id, "past its ttl: closed, a new one is opened instead");
        assertTrue(older.closed);
    }

    @Test
    void aConnectionThatCannotBeReusedIsClosedAndItsSlotGoesToTheWaiter() throws Exception {
        ConnectionPool<Conn> p = pool(1, null);
        p.lease(1000, new Result());
        Result waiter = new Result();
        p.lease(10_000, waiter);
        Conn broken = new Conn(3);
        p.release(broken, false);
        assertTrue(broken.closed);
        assertEquals(-1, waiter.granted.get(5, TimeUnit.SECONDS).id, "the waiter opens a new connection");
    }

    @Test
    void aCancelledWaitGetsNothingAndTheConnectionGoesIdle() {
        ConnectionPool<Conn> p = pool(1, null);
        p.lease(1000, new Result());
        Result waiter = new Result();
        ConnectionPool.Pending pending = p.lease(10_000, waiter);
        pending.cancel();
        Conn c = new Conn(4);
        p.release(c, true);
        assertEquals(0, waiter.calls.get());
        assertEquals(1, p.idle());
    }

    @Test
    void closingRefusesWaitersAndClosesIdleConnections() throws Exception {
        ConnectionPool<Conn> p = pool(1, null);
        p.lease(1000, new Result());
        Result waiter = new Result();
        p.lease(10_000, waiter);
        p.close();
        assertTrue(waiter.refused.get(5, TimeUnit.SECONDS) instanceof IllegalStateException);
        Conn c = new Conn(5);
        p.release(c, true);
        assertTrue(c.closed, "released after close: closed, not pooled");
        Result after = new Result();
        p.lease(1000, after);
        assertTrue(after.refused.isDone());
    }

    @Test
    void sixteenThreadsNeverHoldMoreThanMax() throws Exception {
        int max = 3;
        ConnectionPool<Conn> p = pool(max, null);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int threads = 16;
        int rounds = 500;
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        CountDownLatch all = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            workers.execute(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        Result r = new Result();
                        p.lease(30_000, r);
                        Conn c = r.granted.get(30, TimeUnit.SECONDS);
                        int now = held.incrementAndGet();
                        most.accumulateAndGet(now, Math::max);
                        Thread.yield();
                        held.decrementAndGet();
                        p.release(c.id < 0 ? new Conn(i) : c, i % 7 != 0);
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    all.countDown();
                }
            });
        }
        assertTrue(all.await(60, TimeUnit.SECONDS));
        workers.shutdown();
        assertEquals(threads * rounds, done.get());
        assertTrue(most.get() <= max, "held at once: " + most.get());
        assertEquals(0, p.leased());
        assertTrue(p.idle() <= max);
        assertNull(null);
    }
}
