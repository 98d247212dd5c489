package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.config.StatusFlag;

/** The balancer timeout: wait for a member without sleeping (spec §2 timeout, §4.1 step 5). */
class WaitTest {

    private static Balancer disabledPair(Duration timeout) {
        Balancer b = balancer(m("a"), m("b").route("n2")).sticky("JSESSIONID").timeout(timeout).byRequests();
        b.member("http://a").set(StatusFlag.DISABLED, true);
        b.member("http://b").set(StatusFlag.DISABLED, true);
        return b;
    }

    @Test
    void withoutTimeoutNoWorkerIsA503AtOnce() {
        Selection s = disabledPair(Duration.ZERO).select("/", null, T0);
        assertTrue(s.unavailable());
    }

    @Test
    void withTimeoutTheCallerIsToldWhenToTryAgain() {
        Selection s = disabledPair(Duration.ofSeconds(10)).select("/", null, T0);
        assertTrue(s.mustWait());
        assertEquals(T0 + 100, s.retryAtMillis(), "httpd's step: timeout / 100");
        assertEquals(T0 + 10_000, s.deadlineMillis());
        assertEquals("All workers are in error state", s.reason());
    }

    @Test
    void aMemberBecomingUsableEndsTheWait() {
        Balancer b = disabledPair(Duration.ofSeconds(10));
        Selection s = b.select("/", List.of("JSESSIONID=x.n2"), T0);
        s = b.retry(s, s.retryAtMillis());
        assertTrue(s.mustWait());
        assertEquals(T0 + 200, s.retryAtMillis());
        b.member("http://b").set(StatusFlag.DISABLED, false);
        Selection done = b.retry(s, s.retryAtMillis());
        assertSame(b.member("http://b"), done.worker());
        assertTrue(done.routeChanged(), "after a wait the lbmethod chose, as in httpd");
        assertEquals("n2", done.sessionRoute(), "the session is carried through the wait");
        assertEquals(1, b.member("http://b").electedCount());
    }

    @Test
    void theWaitEndsIn503AtTheDeadlineAfterAHundredSteps() {
        Balancer b = disabledPair(Duration.ofSeconds(1));
        Selection s = b.select("/", null, T0);
        int retries = 0;
        while (s.mustWait()) {
            assertTrue(s.retryAtMillis() <= s.deadlineMillis());
            s = b.retry(s, s.retryAtMillis());
            retries++;
        }
        assertTrue(s.unavailable());
        assertEquals(100, retries);
    }

    @Test
    void aLateRetryIsNotPunishedButTheDeadlineHolds() {
        Balancer b = disabledPair(Duration.ofSeconds(1));
        Selection s = b.select("/", null, T0);
        Selection late = b.retry(s, T0 + 995);
        assertEquals(T0 + 1000, late.deadlineMillis());
        assertEquals(T0 + 1000, late.retryAtMillis(), "never beyond the deadline");
        assertTrue(b.retry(late, T0 + 1000).unavailable());
        assertTrue(b.retry(s, T0 + 5000).unavailable());
    }

    @Test
    void aShortTimeoutStepsAtLeastOneMillisecond() {
        Selection s = disabledPair(Duration.ofMillis(50)).select("/", null, T0);
        assertEquals(T0 + 1, s.retryAtMillis());
    }

    @Test
    void theNofailover503DoesNotWait() {
        Balancer b = balancer(m("a").route("n1")).sticky("JSESSIONID").noFailover(true).timeout(Duration.ofSeconds(5))
                .byRequests();
        b.member("http://a").set(StatusFlag.DISABLED, true);
        assertTrue(b.select("/", List.of("JSESSIONID=x.n1"), T0).unavailable());
    }

    @Test
    void onlyAWaitCanBeRetried() {
        Balancer b = balancer(m("a")).byRequests();
        Selection chosen = b.select("/", null, T0);
        assertThrows(IllegalArgumentException.class, () -> b.retry(chosen, T0));
        Selection waiting = disabledPair(Duration.ofSeconds(1)).select("/", null, T0);
        Balancer other = balancer(m("a")).name("other").byRequests();
        assertThrows(IllegalArgumentException.class, () -> other.retry(waiting, T0));
    }
}
