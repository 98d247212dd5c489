package org.portico.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Asks again until the answer is right or the deadline passes: no guessed sleeps in the tests. */
public final class Poll {

    private Poll() {
    }

    /** The first value of {@code probe} that {@code ok} accepts; fails with the last value at the deadline. */
    public static <T> T until(Duration timeout, Callable<T> probe, Predicate<T> ok) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.call();
        while (!ok.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + "; last: " + last);
            }
            LockSupport.parkNanos(Duration.ofMillis(25).toNanos()); // a short pause between asks, not a guess
            last = probe.call();
        }
        return last;
    }
}
