package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.portico.proxy.Remedy.ANSWER;
import static org.portico.proxy.Remedy.FAIL_OVER;
import static org.portico.proxy.Remedy.RESEND;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Failure;

/** What a failed attempt may still do, decided from the failure and from how far the exchange had gone. */
class RemedyTest {

    private static final BackendFailure CONNECT = new BackendFailure(503, "refused", Failure.CONNECT_FAILED);
    private static final BackendFailure READ = new BackendFailure(502, "reset", Failure.BAD_RESPONSE);

    @Test
    void aRequestThatNeverLeftIsResentThenFailedOverThenAnswered() {
        assertEquals(List.of(RESEND, FAIL_OVER, ANSWER), Remedy.plan(CONNECT, true, false, false, true));
    }

    @Test
    void anIdempotentRequestCutOffBeforeItsAnswerIsResentButNeverFailedOver() {
        assertEquals(List.of(RESEND, ANSWER), Remedy.plan(READ, true, false, false, true));
    }

    @Test
    void aConnectFailureThatAllowsNoResendFailsOver() {
        assertEquals(List.of(FAIL_OVER, ANSWER), Remedy.plan(CONNECT, false, false, false, true));
    }

    @Test
    void onceTheClientsBodyWasReadNothingGoesOutAgain() {
        assertEquals(List.of(ANSWER), Remedy.plan(CONNECT, true, false, false, false));
    }

    @Test
    void onceTheResponseStartedNothingGoesOutAgain() {
        assertEquals(List.of(ANSWER), Remedy.plan(CONNECT, true, true, true, true));
    }

    @Test
    void aClaimedResponseHeadForbidsAResendButNotAFailoverBeforeAnyBody() {
        assertEquals(List.of(FAIL_OVER, ANSWER), Remedy.plan(CONNECT, true, false, true, true));
    }

    @Test
    void aFailureAfterTheRequestWentOutIsAnswered() {
        assertEquals(List.of(ANSWER), Remedy.plan(READ, false, false, false, true));
    }
}
