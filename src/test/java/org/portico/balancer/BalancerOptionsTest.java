package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Portico's opt-in additions: off by default, validated, passed to the members. */
class BalancerOptionsTest {

    @Test
    void everyAdditionIsOffByDefault() {
        BalancerOptions d = BalancerOptions.DEFAULTS;
        assertFalse(d.routeCookie());
        assertFalse(d.learnedAffinity());
        assertEquals(PeakEwma.DEFAULT_DECAY, d.responseTimeDecay());
        assertEquals(d, balancer(m("a")).byRequests().options());
    }

    @Test
    void withMethodsChangeOneThing() {
        BalancerOptions o = BalancerOptions.DEFAULTS.withRouteCookie(true).withLearnedAffinity(5, Duration.ofSeconds(9));
        assertTrue(o.routeCookie());
        assertTrue(o.learnedAffinity());
        assertEquals(5, o.affinityMaxEntries());
        assertEquals(Duration.ofSeconds(9), o.affinityExpiry());
    }

    @Test
    void nonsenseIsRefused() {
        BalancerOptions d = BalancerOptions.DEFAULTS;
        assertThrows(IllegalArgumentException.class, () -> d.withLearnedAffinity(0, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> d.withLearnedAffinity(10, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withLearnedAffinity(10, null));
        assertThrows(IllegalArgumentException.class, () -> d.withResponseTimeDecay(Duration.ofSeconds(-1)));
    }

    @Test
    void theResponseTimeDecayReachesTheMembers() {
        Balancer b = balancer(m("a")).with(new ByLatency(), BalancerOptions.DEFAULTS.withResponseTimeDecay(Duration.ofSeconds(1)));
        Worker a = b.member("http://a");
        a.recordResponseTime(1_000_000, T0);
        assertEquals(1_000_000 * Math.exp(-1), a.responseTime().estimateNanos(T0 + 1000), 1e-3);
    }

    @Test
    void aSelectionDescribesItself() {
        Balancer b = balancer(m("a")).byRequests();
        assertEquals("balancer://b -> http://a", b.select("/", null, T0).toString());
        b.member("http://a").set(org.portico.config.StatusFlag.DISABLED, true);
        assertEquals("balancer://b: 503 (All workers are in error state)", b.select("/", null, T0).toString());
    }
}
