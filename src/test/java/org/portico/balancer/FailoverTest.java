package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portico.config.StatusFlag;

/** The retry loop and post-request error marking (spec §6). */
class FailoverTest {

    private static Worker w(Balancer b, String host) {
        return b.member("http://" + host);
    }

    /** Spec §6's "Outcomes by cause" for a balancer member without I, with attempts left. */
    @ParameterizedTest
    @CsvSource({
        "CONNECT_FAILED,       503, true,  true,  false",
        "ACQUIRE_TIMEOUT,      503, true,  true,  false",
        "PING_TIMEOUT,         503, true,  true,  true",
        "DNS_FAILURE,          500, true,  false, false",
        "READ_TIMEOUT,         502, false, false, true",
        "BAD_RESPONSE,         502, false, false, false",
        "SEND_TIMEOUT,         504, false, false, false"})
    void eachCauseHasHttpdsOutcome(Failure failure, int status, boolean markError, boolean failOver, boolean timedOut) {
        Balancer b = balancer(m("a"), m("b")).byRequests();
        Attempts attempts = b.attempts();
        FailoverPolicy.Decision d = attempts.failed(w(b, "a"), failure, T0);
        assertEquals(new FailoverPolicy.Decision(status, markError, failOver), d);
        assertEquals(markError, w(b, "a").has(StatusFlag.IN_ERROR));
        assertEquals(timedOut, failure.timedOut());
        assertEquals(status, failure.status());
    }

    @Test
    void aConnectFailureFailsOverToAnotherMember() {
        Balancer b = balancer(m("a"), m("b")).byRequests();
        Attempts attempts = b.attempts();
        Selection first = b.select("/", null, T0);
        assertSame(w(b, "a"), first.worker());
        assertTrue(attempts.failed(first.worker(), Failure.CONNECT_FAILED, T0).failOver());
        Selection second = b.select("/", null, T0);
        assertSame(w(b, "b"), second.worker(), "a is in error now and skipped");
        assertEquals(1, attempts.failovers());
        assertEquals(0, attempts.remaining());
    }

    @Test
    void maxattemptsDefaultsToMembersMinusOne() {
        Balancer b = balancer(m("a"), m("b"), m("c")).forceRecovery(false).byRequests();
        assertEquals(2, b.failoverPolicy().maxAttempts());
        Attempts attempts = b.attempts();
        assertTrue(attempts.failed(b.select("/", null, T0).worker(), Failure.CONNECT_FAILED, T0).failOver());
        assertTrue(attempts.failed(b.select("/", null, T0).worker(), Failure.CONNECT_FAILED, T0).failOver());
        FailoverPolicy.Decision last = attempts.failed(b.select("/", null, T0).worker(), Failure.CONNECT_FAILED, T0);
        assertFalse(last.failOver(), "three attempts in all");
        assertTrue(last.markError());
        assertEquals(503, last.status());
    }

    @Test
    void aSingleMemberGetsNoFailover() {
        Balancer b = balancer(m("a")).byRequests();
        assertEquals(0, b.failoverPolicy().maxAttempts());
        assertFalse(b.attempts().failed(w(b, "a"), Failure.CONNECT_FAILED, T0).failOver());
    }

    @Test
    void anExplicitMaxattemptsWins() {
        Balancer b = balancer(m("a"), m("b"), m("c")).maxAttempts(0).byRequests();
        assertFalse(b.attempts().failed(w(b, "a"), Failure.CONNECT_FAILED, T0).failOver());
        Balancer five = balancer(m("a"), m("b")).maxAttempts(5).byRequests();
        assertEquals(5, five.attempts().remaining());
    }

    @Test
    void aMemberThatIgnoresErrorsIsNeitherMarkedNorLeft() {
        Balancer b = balancer(m("a").status("I"), m("b")).byRequests();
        FailoverPolicy.Decision d = b.attempts().failed(w(b, "a"), Failure.CONNECT_FAILED, T0);
        assertEquals(new FailoverPolicy.Decision(503, false, false), d);
        assertTrue(w(b, "a").usable());
    }

    @Test
    void aMemberThatIgnoresErrorsButWasDisabledMeanwhileIsLeft() {
        Balancer b = balancer(m("a").status("I"), m("b")).byRequests();
        w(b, "a").set(StatusFlag.DISABLED, true);
        assertTrue(b.attempts().failed(w(b, "a"), 503, T0).failOver());
    }

    @Test
    void aHandler500MarksTheMemberWithoutFailover() {
        Balancer b = balancer(m("a"), m("b")).byRequests();
        FailoverPolicy.Decision d = b.attempts().failed(w(b, "a"), 500, T0);
        assertEquals(new FailoverPolicy.Decision(500, true, false), d);
        assertEquals(T0, w(b, "a").errorTimeMillis());
    }

    @Test
    void otherHandlerStatusesAreReturnedAsTheyAre() {
        Balancer b = balancer(m("a"), m("b")).byRequests();
        for (int status : new int[] {400, 502, 504}) {
            assertEquals(new FailoverPolicy.Decision(status, false, false), b.attempts().failed(w(b, "a"), status, T0));
        }
        assertTrue(w(b, "a").usable());
    }

    @Test
    void failonstatusMarksTheMemberAfterTheResponseWithoutRetry() {
        Balancer b = balancer(m("a"), m("b")).failOnStatus(500, 503).byRequests();
        Attempts attempts = b.attempts();
        assertFalse(attempts.completed(w(b, "a"), 200, false, T0));
        assertTrue(w(b, "a").usable());
        assertTrue(attempts.completed(w(b, "a"), 503, false, T0), "a status the proxy made itself counts too");
        assertFalse(w(b, "a").usable());
        assertEquals(0, attempts.failovers());
        assertTrue(attempts.completed(w(b, "b"), 500, false, T0));
    }

    @Test
    void failonstatusSparesMembersThatIgnoreErrors() {
        Balancer b = balancer(m("a").status("I")).failOnStatus(500).byRequests();
        assertFalse(b.attempts().completed(w(b, "a"), 500, false, T0));
        assertTrue(w(b, "a").usable());
    }

    @Test
    void failontimeoutMarksAMemberWhoseAttemptTimedOut() {
        Balancer b = balancer(m("a"), m("b")).failOnTimeout(true).byRequests();
        Attempts attempts = b.attempts();
        FailoverPolicy.Decision d = attempts.failed(w(b, "a"), Failure.READ_TIMEOUT, T0);
        assertFalse(d.markError());
        assertTrue(attempts.completed(w(b, "a"), d.status(), Failure.READ_TIMEOUT.timedOut(), T0));
        assertFalse(w(b, "a").usable());
        assertFalse(attempts.completed(w(b, "b"), 200, false, T0));
    }

    @Test
    void withoutFailontimeoutATimeoutLeavesTheMemberAlone() {
        Balancer b = balancer(m("a")).byRequests();
        assertFalse(b.attempts().completed(w(b, "a"), 502, true, T0));
        assertTrue(w(b, "a").usable());
    }

    @Test
    void failontimeoutSparesMembersThatIgnoreErrors() {
        Balancer b = balancer(m("a").status("I")).failOnTimeout(true).byRequests();
        assertFalse(b.attempts().completed(w(b, "a"), 502, true, T0));
    }

    @Test
    void theFailoverRepeatsTheStickyLookupAndChangesTheRoute() {
        Balancer b = balancer(m("a").route("n1"), m("b").route("n2")).sticky("JSESSIONID").byRequests();
        Attempts attempts = b.attempts();
        List<String> cookies = List.of("JSESSIONID=x.n1");
        Selection first = b.select("/", cookies, T0);
        assertSame(w(b, "a"), first.worker());
        assertTrue(attempts.failed(first.worker(), Failure.CONNECT_FAILED, T0).failOver());
        Selection second = b.select("/", cookies, T0);
        assertSame(w(b, "b"), second.worker());
        assertTrue(second.routeChanged());
    }

    @Test
    void withNofailoverTheRetryOfADeadStickyMemberIsA503() {
        Balancer b = balancer(m("a").route("n1"), m("b").route("n2")).sticky("JSESSIONID").noFailover(true).byRequests();
        Attempts attempts = b.attempts();
        List<String> cookies = List.of("JSESSIONID=x.n1");
        assertTrue(attempts.failed(b.select("/", cookies, T0).worker(), Failure.CONNECT_FAILED, T0).failOver());
        Selection again = b.select("/", cookies, T0);
        assertTrue(again.unavailable());
        assertEquals("All workers are in error state for route (n1)", again.reason());
    }

    @Test
    void thePolicyIsPureAndTakesItsSettingsFromTheConfig() {
        FailoverPolicy p = FailoverPolicy.of(balancer(m("a"), m("b"), m("c"), m("d")).failOnStatus(502)
                .failOnTimeout(true).build());
        Worker a = new Worker(m("a").config());
        assertEquals(3, p.maxAttempts());
        assertTrue(p.onFailure(a, Failure.CONNECT_FAILED, 2).failOver());
        assertFalse(p.onFailure(a, Failure.CONNECT_FAILED, 3).failOver());
        assertTrue(a.usable(), "deciding changes nothing");
        assertTrue(p.marksErrorAfterResponse(a, 502, false));
        assertTrue(p.marksErrorAfterResponse(a, 200, true));
        assertFalse(p.marksErrorAfterResponse(a, 200, false));
        assertEquals(0, new FailoverPolicy(-3, null, false).maxAttempts());
        assertFalse(new FailoverPolicy(1, Set.of(), false).marksErrorAfterResponse(a, 500, true));
    }
}
