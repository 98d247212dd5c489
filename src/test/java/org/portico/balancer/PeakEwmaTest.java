package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The response time estimate behind bylatency. */
class PeakEwmaTest {

    private static final long MS = 1_000_000;
    private final PeakEwma ewma = new PeakEwma(Duration.ofSeconds(10));

    @Test
    void noSampleEstimatesZero() {
        assertEquals(0, ewma.estimateNanos(0));
        assertEquals(0, ewma.samples());
    }

    @Test
    void theFirstSampleIsTheEstimate() {
        ewma.record(50 * MS, 1000);
        assertEquals(50 * MS, ewma.estimateNanos(1000), 1e-6);
    }

    @Test
    void aSlowerSampleReplacesTheEstimateAtOnce() {
        ewma.record(10 * MS, 1000);
        ewma.record(400 * MS, 1000);
        assertEquals(400 * MS, ewma.estimateNanos(1000), 1e-6);
    }

    @Test
    void aFasterSampleIsBlendedByTheTimeSinceThePreviousOne() {
        ewma.record(100 * MS, 0);
        ewma.record(0, 10_000); // one decay time later: weight e^-1 on the old value
        assertEquals(100 * MS * Math.exp(-1), ewma.estimateNanos(10_000), 1);
        PeakEwma other = new PeakEwma(Duration.ofSeconds(10));
        other.record(100 * MS, 0);
        other.record(20 * MS, 10_000);
        double w = Math.exp(-1);
        assertEquals(100 * MS * w + 20 * MS * (1 - w), other.estimateNanos(10_000), 1);
    }

    @Test
    void aSampleAboveTheDecayedEstimateIsAPeak() {
        ewma.record(100 * MS, 0);
        ewma.record(50 * MS, 10_000); // the estimate had decayed to 36.8 ms: 50 ms is slower
        assertEquals(50 * MS, ewma.estimateNanos(10_000), 1e-6);
    }

    @Test
    void fasterSamplesInTheSameMillisecondDoNotMoveTheEstimate() {
        ewma.record(100 * MS, 5);
        ewma.record(1 * MS, 5);
        ewma.record(1 * MS, 5);
        assertEquals(100 * MS, ewma.estimateNanos(5), 1e-6, "the average is weighted by time, not by count");
    }

    @Test
    void withoutSamplesTheEstimateDecaysTowardsZero() {
        ewma.record(1000 * MS, 0);
        assertEquals(1000 * MS * Math.exp(-1), ewma.estimateNanos(10_000), 1);
        assertTrue(ewma.estimateNanos(100_000) < 0.0001 * 1000 * MS);
    }

    @Test
    void aClockGoingBackwardsDoesNotInflateTheEstimate() {
        ewma.record(20 * MS, 10_000);
        assertEquals(20 * MS, ewma.estimateNanos(5_000), 1e-6);
        ewma.record(10 * MS, 5_000);
        assertEquals(20 * MS, ewma.estimateNanos(10_000), 1e-6);
    }

    @Test
    void negativeSamplesCountAsZero() {
        ewma.record(-5, 0);
        assertEquals(0, ewma.estimateNanos(0));
        assertEquals(1, ewma.samples());
    }

    @Test
    void resetForgetsEverything() {
        ewma.record(20 * MS, 10);
        ewma.reset();
        assertEquals(0, ewma.samples());
        assertEquals(0, ewma.estimateNanos(10));
    }

    @Test
    void theDecayMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new PeakEwma(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new PeakEwma(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new PeakEwma(null));
    }

    @Test
    void concurrentSamplesAreAllCounted() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            int threads = 8;
            int each = 20_000;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long sample = (t + 1) * MS;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        ewma.record(sample, i);
                    }
                });
                th.start();
                ts.add(th);
            }
            start.countDown();
            for (Thread th : ts) {
                th.join();
            }
            assertEquals((long) threads * each, ewma.samples());
            double e = ewma.estimateNanos(each);
            assertTrue(e >= 0 && e <= threads * MS, "the estimate stays within the samples: " + e);
        });
    }
}
