package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Failure;

/** Which backend failures may go out again on a fresh connection without blaming the member. */
class BackendFailureTest {

    @Test
    void aRequestThatNeverLeftMayGoOutAgainWhateverItsMethod() {
        assertTrue(BackendFailure.resendable(new RequestNotExecutedException(), false));
        assertTrue(BackendFailure.resendable(new RequestNotExecutedException(), true));
    }

    @Test
    void aConnectionClosedBeforeTheAnswerIsResentOnlyForIdempotentRequestsWithoutBody() {
        assertTrue(BackendFailure.resendable(new ConnectionClosedException("Connection closed by peer"), true));
        assertTrue(BackendFailure.resendable(new SocketException("Connection reset"), true));
        assertFalse(BackendFailure.resendable(new ConnectionClosedException("Connection closed by peer"), false));
    }

    @Test
    void onlyGetHeadOptionsAndTraceWithoutABodyCountAsIdempotentWithoutBody() {
        for (String method : new String[] {"GET", "HEAD", "OPTIONS", "TRACE"}) {
            assertTrue(BackendFailure.idempotentWithoutBody(method, false), method);
            assertFalse(BackendFailure.idempotentWithoutBody(method, true), method + " with a body");
        }
        assertFalse(BackendFailure.idempotentWithoutBody("POST", false));
        assertFalse(BackendFailure.idempotentWithoutBody("DELETE", false));
    }

    @Test
    void timeoutsConnectFailuresAndProtocolErrorsAreNeverResent() {
        assertFalse(BackendFailure.resendable(new SocketTimeoutException("1000 MILLISECONDS"), true));
        assertFalse(BackendFailure.resendable(new ConnectException("Connection refused"), true));
        assertFalse(BackendFailure.resendable(new ParseException("Invalid protocol version"), true));
    }

    @Test
    void aPooledConnectionFoundClosedOnceTooOftenCountsAsAConnectFailure() {
        BackendFailure f = BackendFailure.classify(new RequestNotExecutedException(), true, true);
        assertEquals(503, f.status());
        assertEquals(Failure.CONNECT_FAILED, f.kind());
    }
}
