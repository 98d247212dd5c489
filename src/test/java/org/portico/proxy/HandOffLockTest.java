package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * {@link HandOffLock} on its own: container callbacks never wait, handed-off work runs exactly once,
 * under the lock, before the holder lets go, and none is left behind in the windows of
 * {@link HandOffLock#unlock()}. The windows are forced open by a queue that runs a step of another
 * thread at the moment the holder polls it empty or checks it after letting go (in the manner of
 * Jetty's {@code SerializedInvokerTest}); a stress test mixes reactor and container threads.
 */
class HandOffLockTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private final HookedQueue queue = new HookedQueue();
    private final HandOffLock lock = new HandOffLock(queue);

    @Test
    void workRunsAtOnceOnTheCallingThreadWhenTheLockIsFree() throws Exception {
        List<Thread> ranOn = new ArrayList<>();
        lock.runOrHandOff(() -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), ranOn);
        assertFree();
    }

    @Test
    void workHandedOffWhileTheReactorHoldsTheLockRunsOnTheReactorBeforeItLetsGo() throws Exception {
        lock.lock();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        onAnotherThread(() -> lock.runOrHandOff(() -> ranOn.set(Thread.currentThread())));
        assertNull(ranOn.get(), "the container thread returned at once, leaving its work");
        lock.unlock();
        assertSame(Thread.currentThread(), ranOn.get());
        assertFree();
    }

    @Test
    void workTheHolderHandsOffItselfWaitsForItsOutermostUnlock() throws Exception {
        List<String> log = new ArrayList<>();
        lock.lock();
        lock.lock();
        lock.runOrHandOff(() -> log.add("handed off"));
        assertEquals(List.of(), log, "never nested inside the critical section");
        lock.unlock();
        assertEquals(List.of(), log, "nor inside the outer one");
        log.add("outer section ends");
        lock.unlock();
        assertEquals(List.of("outer section ends", "handed off"), log);
        assertFree();
    }

    @Test
    void workHandedOffByHandedOffWorkRunsInTheSameDrainInOrder() throws Exception {
        List<String> log = new ArrayList<>();
        lock.lock();
        onAnotherThread(() -> lock.runOrHandOff(() -> {
            log.add("first");
            lock.runOrHandOff(() -> log.add("third"));
            log.add("second");
        }));
        lock.unlock();
        assertEquals(List.of("first", "second", "third"), log);
        assertFree();
    }

    @Test
    void failuresOfHandedOffWorkAreThrownByTheUnlockOnceTheLockIsFreeAndTheRestStillRuns() throws Exception {
        List<String> log = new ArrayList<>();
        lock.lock();
        onAnotherThread(() -> {
            lock.runOrHandOff(() -> {
                throw new IOException("first");
            });
            lock.runOrHandOff(() -> log.add("ran"));
            lock.runOrHandOff(() -> {
                throw new IOException("second");
            });
        });
        IOException e = assertThrows(IOException.class, lock::unlock);
        assertEquals("first", e.getMessage());
        assertEquals("second", e.getSuppressed()[0].getMessage());
        assertEquals(List.of("ran"), log);
        assertFree();
    }

    @Test
    void aContainerThreadThatRanTheWorkGetsItsFailure() {
        IOException e = assertThrows(IOException.class, () -> lock.runOrHandOff(() -> {
            throw new IOException("broken pipe");
        }));
        assertEquals("broken pipe", e.getMessage());
        assertFree();
    }

    /**
     * A container's callback may fail with an unchecked exception (IllegalStateException from a
     * stream used in the wrong state). The lock must still be let go, or the reactor waits for it
     * forever, and the work handed off behind it must still run.
     */
    @Test
    void anUncheckedFailureOfHandedOffWorkStillLetsTheLockGoAndRunsTheRest() throws Exception {
        List<String> log = new ArrayList<>();
        lock.lock();
        onAnotherThread(() -> {
            lock.runOrHandOff(() -> {
                throw new IllegalStateException("isReady() not called");
            });
            lock.runOrHandOff(() -> log.add("ran"));
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::unlock);
        assertEquals("isReady() not called", e.getMessage());
        assertEquals(List.of("ran"), log);
        assertFree();
    }

    /**
     * Window 1: the holder has polled the queue empty and not yet let go; a container thread hands off
     * work then (its tryLock fails). The holder must take the lock again and run it.
     */
    @Test
    void workHandedOffBetweenTheDrainAndTheReleaseIsPickedUpByTheHolder() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        queue.onEmptyPoll = () -> {
            onAnotherThread(() -> lock.runOrHandOff(() -> ranOn.set(Thread.currentThread())));
            assertNull(ranOn.get(), "the holder still holds the lock: the work waits");
        };
        lock.lock();
        lock.unlock();
        assertSame(Thread.currentThread(), ranOn.get(), "the holder took the lock again and ran it before unlock returned");
        assertFree();
    }

    /**
     * Window 2: as in window 1, but after the holder lets go and before it takes the lock again, a
     * reactor thread takes it. The holder must not wait; the reactor runs the work when it lets go.
     */
    @Test
    void workLeftWhenAReactorTakesTheLockFirstIsRunByTheReactor() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch reactorHolds = new CountDownLatch(1);
        CountDownLatch reactorMayGo = new CountDownLatch(1);
        AtomicReference<Throwable> reactorFailure = new AtomicReference<>();
        Thread reactor = new Thread(() -> {
            lock.lock();
            reactorHolds.countDown();
            try {
                await(reactorMayGo);
                lock.unlock();
            } catch (Throwable e) {
                reactorFailure.set(e);
            }
        }, "reactor");
        queue.onEmptyPoll = () -> onAnotherThread(() -> lock.runOrHandOff(() -> ranOn.set(Thread.currentThread())));
        queue.beforeIsEmpty = () -> {
            reactor.start();
            await(reactorHolds);
        };
        lock.lock();
        lock.unlock();
        assertNull(ranOn.get(), "the holder neither waited for the reactor nor ran the work");
        reactorMayGo.countDown();
        reactor.join(BOUND.toMillis());
        assertNull(reactorFailure.get());
        assertSame(reactor, ranOn.get(), "the reactor ran it before it let go");
        assertFree();
    }

    /**
     * Reactor threads take the lock and container threads hand work off, all at once: every piece of
     * work runs exactly once, no two critical sections or pieces of work ever overlap, and the lock is
     * free and the queue empty at the end.
     */
    @Test
    void underStressEveryHandedOffWorkRunsOnceAndNothingOverlaps() {
        int reactors = 2;
        int containers = 6;
        int rounds = 20_000;
        AtomicInteger inside = new AtomicInteger();
        LongAdder overlaps = new LongAdder();
        LongAdder ran = new LongAdder();
        LongAdder sections = new LongAdder();
        HandOffLock.Work exclusive = () -> {
            if (inside.incrementAndGet() != 1) {
                overlaps.increment();
            }
            inside.decrementAndGet();
        };
        assertTimeoutPreemptively(BOUND, () -> {
            ExecutorService pool = Executors.newFixedThreadPool(reactors + containers);
            try {
                CyclicBarrier start = new CyclicBarrier(reactors + containers);
                List<Future<?>> futures = new ArrayList<>();
                for (int r = 0; r < reactors; r++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < rounds; i++) {
                            lock.lock();
                            try {
                                exclusive.run();
                                sections.increment();
                            } finally {
                                lock.unlock();
                            }
                        }
                        return null;
                    }));
                }
                for (int c = 0; c < containers; c++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < rounds; i++) {
                            lock.runOrHandOff(() -> {
                                exclusive.run();
                                ran.increment();
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS));
            }
        });
        assertEquals(0, overlaps.sum(), "critical sections and handed-off work never overlap");
        assertEquals((long) containers * rounds, ran.sum(), "every handed-off work ran exactly once");
        assertEquals((long) reactors * rounds, sections.sum());
        assertFree();
    }

    // --- helpers

    /** The lock is free: another thread can take it at once. */
    private void assertFree() {
        assertTrue(lock.idle(), "the lock is free and no work is left behind");
    }

    /** Runs {@code step} on a new thread and waits for it (within the bound). */
    private static void onAnotherThread(HandOffLock.Work step) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                step.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "container");
        t.start();
        try {
            t.join(BOUND.toMillis());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (t.isAlive()) {
            throw new AssertionError("the container thread waited for the lock");
        }
        if (failure.get() != null) {
            throw new AssertionError("the container thread failed", failure.get());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The lock's queue, with steps of a test run once on the thread that first polls it empty (the
     * holder, between its drain and its release) and that first asks whether it is empty (the holder,
     * after its release).
     */
    private static final class HookedQueue extends ConcurrentLinkedQueue<HandOffLock.Work> {
        private static final long serialVersionUID = 1L;
        transient volatile Runnable onEmptyPoll;
        transient volatile Runnable beforeIsEmpty;

        @Override
        public HandOffLock.Work poll() {
            HandOffLock.Work w = super.poll();
            Runnable hook = onEmptyPoll;
            if (w == null && hook != null) {
                onEmptyPoll = null;
                hook.run();
            }
            return w;
        }

        @Override
        public boolean isEmpty() {
            Runnable hook = beforeIsEmpty;
            if (hook != null) {
                beforeIsEmpty = null;
                hook.run();
            }
            return super.isEmpty();
        }
    }
}
