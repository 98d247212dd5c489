package org.portico.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Threads for tests that force an order of events between a reactor and a container: a step started on
 * its own thread, joined within a generous bound, its failure rethrown where the test joins it.
 */
final class Interleaving {

    /** How long a forced step may take on a busy machine before the test calls it stuck. */
    static final Duration BOUND = Duration.ofSeconds(60);

    private static final Map<Thread, Throwable> FAILURES = new ConcurrentHashMap<>();

    private Interleaving() {
    }

    /** One step of a test, on whichever thread runs it. */
    interface Step {
        void run() throws Exception;
    }

    /** Starts {@code step} on a new thread, named as the side it plays. */
    static Thread onAnotherThread(Step step) {
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

    /** Waits for {@code t} within the bound; fails when it is still waiting or when its step failed. */
    static void join(Thread t) {
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

    /** Waits (within the bound) until {@code t} waits for a lock. */
    static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED) {
            if (t.getState() == Thread.State.TERMINATED) {
                throw new AssertionError(t.getName() + " ended without waiting for the lock");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " never waited");
            }
            Thread.onSpinWait();
        }
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }
}
