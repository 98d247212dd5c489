package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.portico.config.StatusFlag;

/** force_recovery and the retry timer (spec §1 retry, §2 forcerecovery, §4.7). */
class ForceRecoveryTest {

    private static Worker w(Balancer b, String host) {
        return b.member("http://" + host);
    }

    @Test
    void whenEveryMemberIsInErrorAllAreRecovered() {
        Balancer b = balancer(m("a"), m("b")).byRequests();
        w(b, "a").markError(T0);
        w(b, "b").markError(T0);
        Selection s = b.select("/", null, T0 + 1);
        assertTrue(s.chosen());
        assertFalse(w(b, "a").has(StatusFlag.IN_ERROR));
        assertFalse(w(b, "b").has(StatusFlag.IN_ERROR));
        assertEquals(1, w(b, "a").retries());
        assertEquals(1, w(b, "b").retries());
    }

    @Test
    void withForcerecoveryOffAllInErrorIsA503() {
        Balancer b = balancer(m("a"), m("b")).forceRecovery(false).byRequests();
        w(b, "a").markError(T0);
        w(b, "b").markError(T0);
        Selection s = b.select("/", null, T0 + 1);
        assertTrue(s.unavailable());
        assertEquals("All workers are in error state", s.reason());
        assertTrue(w(b, "a").has(StatusFlag.IN_ERROR));
    }

    @Test
    void aDisabledMemberWithoutErrorPreventsForceRecovery() {
        Balancer b = balancer(m("a"), m("d").status("D")).byRequests();
        w(b, "a").markError(T0);
        assertTrue(b.select("/", null, T0 + 1).unavailable());
        assertTrue(w(b, "a").has(StatusFlag.IN_ERROR));
    }

    @Test
    void stoppedMembersInErrorAreForcedOutOfErrorButStayUnusable() {
        Balancer b = balancer(m("a").status("S"), m("b")).byRequests();
        w(b, "a").markError(T0);
        w(b, "b").markError(T0);
        assertSame(w(b, "b"), b.select("/", null, T0 + 1).worker());
        assertFalse(w(b, "a").usable());
    }

    @Test
    void theScanStopsAtTheFirstMemberNotInError() {
        Balancer b = balancer(m("a"), m("z").lbset(1).retry(Duration.ZERO)).byRequests();
        w(b, "z").markError(T0);
        b.select("/", null, T0 + 1);
        assertTrue(w(b, "z").has(StatusFlag.IN_ERROR), "lbset 1 was never looked at: its E stays");
        assertEquals(0, w(b, "z").retries());
    }

    @Test
    void aMemberWhoseRetryPassedEndsTheScanWithoutForcing() {
        Balancer b = balancer(m("a").retry(Duration.ofSeconds(1)), m("b")).byRequests();
        w(b, "a").markError(T0);
        w(b, "b").markError(T0 + 5000);
        b.select("/", null, T0 + 1001);
        assertFalse(w(b, "a").has(StatusFlag.IN_ERROR));
        assertTrue(w(b, "b").has(StatusFlag.IN_ERROR), "b was not forced");
        assertEquals(0, w(b, "b").retries());
    }

    @Test
    void forceRecoveryAlsoRunsBeforeARouteLookup() {
        Balancer b = balancer(m("a").route("n1"), m("b").route("n2")).sticky("JSESSIONID").noFailover(true).byRequests();
        w(b, "a").markError(T0);
        w(b, "b").markError(T0);
        Selection s = b.select("/", java.util.List.of("JSESSIONID=x.n2"), T0 + 1);
        assertSame(w(b, "b"), s.worker());
    }

    @Test
    void anEmptyBalancerAnswers503WithItsOwnReason() {
        Selection s = balancer().byRequests().select("/", null, T0);
        assertTrue(s.unavailable());
        assertEquals("No workers in balancer", s.reason());
    }

    @Test
    void theRetryTimerClearsErrorOnlyAfterRetryHasPassed() {
        Worker w = new Worker(m("a").retry(Duration.ofSeconds(60)).config());
        w.markError(T0);
        assertFalse(w.retryIfDue(T0 + 60_000), "strictly after error_time + retry");
        assertTrue(w.retryIfDue(T0 + 60_001));
        assertEquals(1, w.retries());
    }

    @Test
    void retryZeroRetriesOnTheNextMillisecond() {
        Worker w = new Worker(m("a").retry(Duration.ZERO).config());
        w.markError(T0);
        assertFalse(w.retryIfDue(T0));
        assertTrue(w.retryIfDue(T0 + 1));
    }

    @Test
    void aFailureWhileInErrorRestartsTheTimer() {
        Worker w = new Worker(m("a").retry(Duration.ofSeconds(10)).config());
        w.markError(T0);
        w.markError(T0 + 8000);
        assertFalse(w.retryIfDue(T0 + 10_001));
        assertTrue(w.retryIfDue(T0 + 18_001));
        assertEquals(2, w.errors());
    }

    @Test
    void theStatusStringFollowsHttpd() {
        Worker w = new Worker(m("a").config());
        assertEquals("Init Ok ", w.statusString());
        w.markError(T0);
        assertEquals("Init Err ", w.statusString());
        Worker s = new Worker(m("s").status("H").config());
        assertEquals("Init Stby Ok ", s.statusString());
    }
}
