package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** bylatency: peak-EWMA cost and the power of two choices, over httpd's tier skeleton. */
class ByLatencyTest {

    private static final long MS = 1_000_000;

    private static Worker w(Balancer b, String host) {
        return b.member("http://" + host);
    }

    private static void busy(Worker w, int n) {
        for (int i = 0; i < n; i++) {
            w.requestStarted();
        }
    }

    @Test
    void theFasterOfTheTwoDrawnMembersWins() {
        Balancer b = balancer(m("a"), m("b")).with(new ByLatency(new ScriptedRandom(0, 0, 1, 0)));
        w(b, "a").recordResponseTime(100 * MS, T0);
        w(b, "b").recordResponseTime(10 * MS, T0);
        assertSame(w(b, "b"), b.selectWithoutSession(T0).worker());
        assertSame(w(b, "b"), b.selectWithoutSession(T0).worker(), "whichever is drawn first");
    }

    @Test
    void twoDistinctMembersAreDrawn() {
        // three candidates: draws (1, 1) mean members 1 and 2, never the same member twice
        Balancer b = balancer(m("a"), m("b"), m("c")).with(new ByLatency(new ScriptedRandom(1, 1, 2, 0)));
        w(b, "a").recordResponseTime(1 * MS, T0);
        w(b, "b").recordResponseTime(30 * MS, T0);
        w(b, "c").recordResponseTime(20 * MS, T0);
        assertSame(w(b, "c"), b.selectWithoutSession(T0).worker(), "a, the fastest, was not drawn");
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker(), "draws (2, 0): c and a");
    }

    @Test
    void requestsInFlightMultiplyTheCost() {
        Balancer b = balancer(m("a"), m("b")).with(new ByLatency(new ScriptedRandom(0, 0)));
        w(b, "a").recordResponseTime(10 * MS, T0);
        w(b, "b").recordResponseTime(25 * MS, T0);
        busy(w(b, "a"), 2); // 10 × 3 = 30 > 25 × 1
        assertSame(w(b, "b"), b.selectWithoutSession(T0).worker());
    }

    @Test
    void theLoadfactorDividesTheCost() {
        Balancer b = balancer(m("a").loadfactor(3), m("b")).with(new ByLatency(new ScriptedRandom(0, 0)));
        w(b, "a").recordResponseTime(25 * MS, T0); // 25 / 3 < 10 / 1
        w(b, "b").recordResponseTime(10 * MS, T0);
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker());
    }

    @Test
    void anUnmeasuredIdleMemberIsTriedFirst() {
        Balancer b = balancer(m("a"), m("b")).with(new ByLatency(new ScriptedRandom(0, 0)));
        w(b, "a").recordResponseTime(1 * MS, T0);
        assertSame(w(b, "b"), b.selectWithoutSession(T0).worker());
    }

    @Test
    void anUnmeasuredBusyMemberCostsMoreThanAnyMeasuredOne() {
        Balancer b = balancer(m("a"), m("b")).with(new ByLatency(new ScriptedRandom(0, 0)));
        w(b, "a").recordResponseTime(5_000 * MS, T0);
        busy(w(b, "b"), 1);
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker());
    }

    @Test
    void tiesGoToTheLessBusyThenTheEarlierMember() {
        Balancer b = balancer(m("a"), m("b")).with(new ByLatency(new ScriptedRandom(0, 0, 0, 0)));
        busy(w(b, "a"), 1);
        busy(w(b, "b"), 2);
        // both unmeasured and busy: penalty × 2 vs penalty × 3 → a; then equal busy → earlier
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker());
        busy(w(b, "a"), 1);
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker(), "equal cost and busyness: configuration order");
    }

    @Test
    void aSingleCandidateNeedsNoDraw() {
        Balancer b = balancer(m("a"), m("b").status("D")).with(new ByLatency(new ScriptedRandom()));
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker());
    }

    @Test
    void noCandidateMeansNoWorker() {
        Balancer b = balancer(m("a").status("D")).with(new ByLatency(new ScriptedRandom()));
        assertNull(b.selectWithoutSession(T0).worker());
    }

    @Test
    void theTierSkeletonDecidesTheCandidates() {
        Balancer b = balancer(m("a"), m("s").status("H"), m("z").lbset(1)).with(new ByLatency(new ScriptedRandom()));
        w(b, "a").recordResponseTime(9_000 * MS, T0);
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker(), "a slow regular member beats an idle standby and lbset 1");
        w(b, "a").markError(T0);
        assertSame(w(b, "s"), b.selectWithoutSession(T0).worker());
    }

    @Test
    void aSlowMemberIsAvoidedButNotStarved() {
        SplittableRandom random = new SplittableRandom(7);
        Balancer b = balancer(m("a"), m("b"), m("c")).with(new ByLatency(random));
        Map<String, Integer> counts = new HashMap<>();
        long now = T0;
        int slowAfterFirstMinute = 0;
        // a steady 100 requests/s for 10 minutes; b always answers in 10 ms, c in 12 ms, a in 500 ms
        for (int i = 0; i < 60_000; i++, now += 10) {
            Worker chosen = b.selectWithoutSession(now).worker();
            String host = TestBalancers.host(chosen);
            counts.merge(host, 1, Integer::sum);
            long rt = switch (host) {
                case "a" -> 500;
                case "b" -> 10;
                default -> 12;
            };
            chosen.recordResponseTime(rt * MS, now);
            if (host.equals("a") && now > T0 + 60_000) {
                slowAfterFirstMinute++;
            }
        }
        int slow = counts.getOrDefault("a", 0);
        assertTrue(slow < 600, "the slow member gets under 1% of the requests: " + counts);
        assertTrue(slowAfterFirstMinute >= 5, "but it keeps being probed: " + slowAfterFirstMinute + " " + counts);
        assertTrue(counts.get("b") > counts.get("c") / 2, "the fast members share the load: " + counts);
    }

    @Test
    void aMemberThatRecoversWinsItsShareBack() {
        SplittableRandom random = new SplittableRandom(11);
        Balancer b = balancer(m("a"), m("b")).with(new ByLatency(random));
        long now = T0;
        w(b, "a").recordResponseTime(2_000 * MS, now);
        w(b, "b").recordResponseTime(10 * MS, now);
        int aAfterRecovery = 0;
        for (int i = 0; i < 30_000; i++, now += 10) {
            Worker chosen = b.selectWithoutSession(now).worker();
            chosen.recordResponseTime(10 * MS, now); // a is as fast as b from now on
            if (i >= 20_000 && chosen == w(b, "a")) {
                aAfterRecovery++;
            }
        }
        assertTrue(aAfterRecovery > 3_000, "a is back to a fair share: " + aAfterRecovery + " of 10000");
    }

    @Test
    void resetForgetsTheEstimates() {
        Balancer b = balancer(m("a"), m("b")).with(new ByLatency(new ScriptedRandom()));
        w(b, "a").recordResponseTime(5 * MS, T0);
        b.resetLbMethod();
        assertEquals(0, w(b, "a").responseTime().samples());
    }

    @Test
    void costFollowsTheFormula() {
        Balancer b = balancer(m("a").loadfactor(2)).with(new ByLatency());
        w(b, "a").recordResponseTime(40 * MS, T0);
        assertEquals(40.0 * MS * 4 / 200, ByLatency.cost(w(b, "a"), 3, T0), 1e-6);
        assertEquals(0, ByLatency.cost(balancer(m("x")).byRequests().member("http://x"), 0, T0));
    }

    @Test
    void nameIsBylatency() {
        assertEquals("bylatency", new ByLatency().name());
    }
}
