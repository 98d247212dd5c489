package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.portico.config.BalancerConfig;
import org.portico.config.StatusFlag;

/**
 * Manager edits applied while many threads select: every selection sees a balancer as it was before an
 * edit or after it, never with part of an edit applied. The editor waits for selections to run on each
 * state before the next edit, so that edits and selections really interleave; nothing sleeps.
 */
class EditAtomicityTest {

    private static final int SELECTORS = 4;
    private static final int EDITS = 100;

    /**
     * Each edit adds a member, sets maxattempts, installs a new lbmethod and toggles member a's loadfactor
     * and disabled flag. The lbmethod is a probe that, under the balancer's lock at every selection,
     * checks all of that against the edit that installed it.
     */
    @Test
    void everySelectionSeesAWholeEditOrNoneOfIt() {
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        Probe first = new Probe(0, violations);
        Balancer b = balancer(m("a"), m("b")).growth(EDITS).maxAttempts(0).with(first);
        first.balancer = b;
        Worker a = b.member("http://a");
        LongAdder selections = new LongAdder();
        selectWhileEditing(() -> {
            if (b.selectWithoutSession(T0).worker() == null) {
                violations.add("no member chosen, though b is always usable");
            }
            selections.increment();
        }, () -> {
            for (int g = 1; g <= EDITS; g++) {
                Probe next = new Probe(g, violations);
                next.balancer = b;
                b.apply(BalancerEdit.NONE
                        .withNewMember(AddedMember.config("http://n" + g))
                        .withSettings(BalancerConfigs.withSettings(b.config(), "probe", "", "", false, g, null), next)
                        .withMember(a, m("a").loadfactor(Probe.loadfactor(g)).config(),
                                Map.of(StatusFlag.DISABLED, Probe.disabled(g))));
                awaitAtLeast(next.selections::sum, 1);
            }
        });
        assertEquals(List.of(), List.copyOf(violations).subList(0, Math.min(5, violations.size())),
                violations.size() + " selections saw part of an edit");
        assertEquals(2 + EDITS, b.members().size());
        assertTrue(selections.sum() > EDITS, "selections ran between the edits: " + selections.sum());
    }

    /**
     * Each edit renames the sticky cookie (A or B) and changes member x's route (r1 or r2) to match.
     * A request carrying {@code A=s.r1; B=s.r2} therefore always names x's route, unless its session was
     * taken with one edit's cookie name and matched against another's route.
     */
    @Test
    void aStickyRequestIsNeverMatchedWithOneEditsCookieAndAnothersRoute() {
        Balancer b = balancer(m("x").route("r1"), m("y").route("ry")).sticky("A").byRequests();
        Worker x = b.member("http://x");
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        LongAdder selections = new LongAdder();
        List<String> cookies = List.of("A=s.r1; B=s.r2");
        selectWhileEditing(() -> {
            Selection s = b.select("/", cookies, T0);
            if (!s.chosen() || s.worker() != x || s.routeChanged()) {
                violations.add(s.toString());
            }
            selections.increment();
        }, () -> {
            for (int g = 1; g <= EDITS; g++) {
                boolean even = g % 2 == 0;
                String cookie = even ? "A" : "B";
                long before = selections.sum();
                b.apply(BalancerEdit.NONE
                        .withSettings(BalancerConfigs.withSettings(b.config(), "byrequests", cookie, cookie, false,
                                null, null), null)
                        .withMember(x, m("x").route(even ? "r1" : "r2").config(), Map.of()));
                awaitAtLeast(selections::sum, before + SELECTORS);
            }
        });
        assertEquals(List.of(), List.copyOf(violations).subList(0, Math.min(5, violations.size())),
                violations.size() + " of " + selections.sum() + " selections mixed two edits");
        assertEquals(selections.sum(), b.members().stream().mapToLong(Worker::electedCount).sum(),
                "every selection counted one election, none was lost to a retried extraction");
    }

    @Test
    void aRefusedEditChangesNothing() {
        Balancer b = balancer(m("a"), m("b")).growth(1).byRequests();
        Worker a = b.member("http://a");
        BalancerConfig before = b.config();
        BalancerEdit twiceB = BalancerEdit.NONE
                .withMember(a, m("a").loadfactor(5).config(), Map.of(StatusFlag.DISABLED, true))
                .withNewMember(AddedMember.config("http://b"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.apply(twiceB));
        assertTrue(e.getMessage().contains("already a member"), e.getMessage());
        assertSame(before, b.config());
        assertEquals(100, a.config().params().lbfactor());
        assertTrue(a.usable(), "the member part of a refused edit is not applied either");
    }

    /** Waits, yielding to the selectors, until {@code counter} reaches {@code target}. */
    private static void awaitAtLeast(LongSupplier counter, long target) {
        while (counter.getAsLong() < target) {
            Thread.yield();
        }
    }

    /** Runs {@code select} on {@link #SELECTORS} threads until {@code editor} has returned on this one. */
    private static void selectWhileEditing(Runnable select, Runnable editor) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(SELECTORS);
            AtomicBoolean done = new AtomicBoolean();
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < SELECTORS; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        while (!done.get()) {
                            select.run();
                        }
                        return null;
                    }));
                }
                start.countDown();
                try {
                    editor.run();
                } finally {
                    done.set(true);
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }

    /**
     * byrequests, plus checks run under the balancer's lock: the state a selection sees must be exactly
     * the one edit {@code generation} made (generation 0: the balancer as built).
     */
    private static final class Probe implements LbMethod {

        final int generation;
        final Queue<String> violations;
        final LongAdder selections = new LongAdder();
        final ByRequests byRequests = new ByRequests();
        Balancer balancer;

        Probe(int generation, Queue<String> violations) {
            this.generation = generation;
            this.violations = violations;
        }

        static double loadfactor(int generation) {
            return 1 + generation % 3;
        }

        static boolean disabled(int generation) {
            return generation % 2 == 1;
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public Worker find(List<Worker> members, long nowMillis) {
            selections.increment();
            Worker a = members.get(0);
            check("members", 2 + generation, members.size());
            check("members in the config", 2 + generation, balancer.config().members().size());
            check("a's D flag", disabled(generation), a.has(StatusFlag.DISABLED));
            check("a's lbfactor", (int) (loadfactor(generation) * 100), a.config().params().lbfactor());
            check("maxattempts", generation, balancer.config().effectiveMaxAttempts());
            check("failover rules' maxattempts", generation, balancer.failoverPolicy().maxAttempts());
            check("lbmethod", this, balancer.method());
            return byRequests.find(members, nowMillis);
        }

        private void check(String what, Object expected, Object seen) {
            if (!expected.equals(seen) && violations.size() < 100) {
                violations.add("edit " + generation + ": " + what + " " + seen + ", expected " + expected);
            }
        }
    }
}
