package org.portico.backend.loop;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Work for something that must be run by one thread at a time (an HttpCore duplexer, as its reactor would run it),
 * flagged by any thread as bits and run by whichever thread finds it idle. A thread that finds it running leaves its
 * bits to the running thread, which takes every bit flagged before it lets go: no work is lost, and none waits for a
 * thread that is not running it. The step is never re-entered; bits flagged from inside the step run in the next
 * step, on the same thread. Thread-safe.
 */
final class SerialWork {

    private final IntConsumer step;
    private final AtomicInteger work = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread runner;

    /** @param step runs the bits taken at once; called by one thread at a time */
    SerialWork(IntConsumer step) {
        this.step = step;
    }

    /** Adds {@code bits} to the work waiting; runs nothing. */
    void flag(int bits) {
        work.getAndUpdate(x -> x | bits);
    }

    /** Runs the waiting work on this thread unless another thread runs it, which then takes it. */
    void run() {
        while (work.get() != 0 && running.compareAndSet(false, true)) {
            runner = Thread.currentThread();
            try {
                int bits;
                while ((bits = work.getAndSet(0)) != 0) {
                    step.accept(bits);
                }
            } finally {
                runner = null;
                running.set(false);
            }
        }
    }

    /** Whether the calling thread is inside the step. */
    boolean isRunner() {
        return runner == Thread.currentThread();
    }

    /** Whether some thread is inside the step (or about to take more work). */
    boolean isRunning() {
        return running.get();
    }
}
