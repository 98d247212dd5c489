package org.portico.backend.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one-thread-at-a-time rule of {@link SerialWork} on its own, under contention. */
class SerialWorkTest {

    @Test
    void manyThreadsFlaggingAtOnceNeverOverlapInTheStepAndLoseNoBit() throws Exception {
        int threads = 8;
        int rounds = 20_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong[] seen = new AtomicLong[threads];
        for (int i = 0; i < threads; i++) {
            seen[i] = new AtomicLong();
        }
        SerialWork work = new SerialWork(bits -> {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            for (int i = 0; i < threads; i++) {
                if ((bits & (1 << i)) != 0) {
                    seen[i].incrementAndGet();
                }
            }
            inside.decrementAndGet();
        });
        // each thread flags its bit and waits until a step has taken it before flagging again, so every flag must
        // be seen exactly once; a lost wake-up would leave a thread waiting forever (the test's timeout shows it)
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> flaggers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int bit = t;
            Thread f = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int r = 1; r <= rounds; r++) {
                    work.flag(1 << bit);
                    work.run();
                    while (seen[bit].get() < r) {
                        Thread.onSpinWait();
                    }
                }
            });
            flaggers.add(f);
            f.start();
        }
        start.countDown();
        for (Thread f : flaggers) {
            f.join(120_000);
            assertFalse(f.isAlive(), "a flagger still waits for its work: a flag was lost");
        }
        assertEquals(0, overlaps.get(), "two threads were inside the step at once");
        for (int i = 0; i < threads; i++) {
            assertEquals(rounds, seen[i].get(), "thread " + i + "'s flags");
        }
    }

    @Test
    void workFlaggedInsideTheStepRunsNextOnTheSameThreadWithoutReentry() {
        List<Integer> steps = new ArrayList<>();
        AtomicInteger depth = new AtomicInteger();
        SerialWork[] holder = new SerialWork[1];
        holder[0] = new SerialWork(bits -> {
            assertEquals(1, depth.incrementAndGet(), "the step was re-entered");
            assertTrue(holder[0].isRunner());
            steps.add(bits);
            if (bits == 1) {
                holder[0].flag(2);
                holder[0].run(); // from inside: leaves the work to the running loop
            }
            depth.decrementAndGet();
        });
        holder[0].flag(1);
        holder[0].run();
        assertEquals(List.of(1, 2), steps);
        assertFalse(holder[0].isRunning());
        assertFalse(holder[0].isRunner());
    }
}
