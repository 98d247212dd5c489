package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;
import static org.portico.balancer.TestBalancers.T0;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Many threads selecting at once: elections and byrequests proportions stay exact. */
class ConcurrencyTest {

    private static final int THREADS = 16;

    @Test
    void concurrentSelectionsKeepElectionsAndProportionsExact() {
        // factors 1, 2, 3, 4: Σ = 10; N·Σ requests must split exactly 1:2:3:4
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(2), m("c").loadfactor(3), m("d").loadfactor(4))
                .byRequests();
        int cycles = 8_000;
        int total = cycles * 10;
        Map<String, LongAdder> seen = new ConcurrentHashMap<>();
        run(total, () -> {
            Worker w = b.selectWithoutSession(T0).worker();
            w.requestStarted();
            seen.computeIfAbsent(TestBalancers.host(w), k -> new LongAdder()).increment();
            w.requestEnded();
        });
        long[] expected = {1L * cycles, 2L * cycles, 3L * cycles, 4L * cycles};
        for (int i = 0; i < 4; i++) {
            Worker w = b.members().get(i);
            assertEquals(expected[i], w.electedCount(), w.name());
            assertEquals(expected[i], seen.get(TestBalancers.host(w)).sum(), w.name());
            assertEquals(0, w.lbstatus(), "whole cycles bring lbstatus back to zero");
            assertEquals(0, w.busy());
        }
    }

    @Test
    void concurrentStickyAndBalancedSelectionsCountEveryElection() {
        Balancer b = balancer(m("a").route("n1"), m("b").route("n2"), m("c").route("n3")).sticky("JSESSIONID")
                .byRequests();
        int total = 60_000;
        run(total, new Runnable() {
            private final LongAdder n = new LongAdder();

            @Override
            public void run() {
                n.increment();
                List<String> cookies = n.sum() % 2 == 0 ? List.of("JSESSIONID=x.n2") : List.of();
                Selection s = b.select("/", cookies, T0);
                if (!s.chosen()) {
                    throw new AssertionError(s.toString());
                }
            }
        });
        long elected = b.members().stream().mapToLong(Worker::electedCount).sum();
        assertEquals(total, elected);
    }

    /** Runs {@code task} {@code total} times spread over {@link #THREADS} threads, within a time bound. */
    private static void run(int total, Runnable task) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int share = total / THREADS + (t < total % THREADS ? 1 : 0);
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < share; i++) {
                            task.run();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }
}
