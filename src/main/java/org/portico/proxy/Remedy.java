package org.portico.proxy;

import java.util.List;

/**
 * What a failed attempt can still do for its client, tried in order until one is taken: send the request
 * again to the same worker, fail over to another member, or answer the client (an error page, or an
 * aborted connection once the response has started).
 */
enum Remedy {
    /** Send it again on a fresh connection to the same worker ({@link BackendFailure#resendable}). */
    RESEND,
    /** Give it to another member (httpd's retry loop), when the balancer allows. */
    FAIL_OVER,
    /** Tell the client: nothing else can be done. */
    ANSWER;

    private static final List<Remedy> ANY = List.of(RESEND, FAIL_OVER, ANSWER);
    private static final List<Remedy> NO_RESEND = List.of(FAIL_OVER, ANSWER);
    private static final List<Remedy> ONLY_ANSWER = List.of(ANSWER);

    /**
     * The remedies open to an attempt that failed with {@code failure}, best first. Nothing may go out
     * again once any of the client's body was read or any of the response reached it.
     *
     * @param resendable the failure allows a resend ({@link BackendFailure#resendable})
     * @param responseStarted the backend's response body had started to flow to the client
     * @param headClaimed a response head (the backend's, or an error page) had been claimed for the client
     * @param bodyUntouched no byte of the client's body had been read
     */
    static List<Remedy> plan(BackendFailure failure, boolean resendable, boolean responseStarted, boolean headClaimed,
                             boolean bodyUntouched) {
        boolean nothingStarted = !responseStarted && bodyUntouched;
        if (nothingStarted && !headClaimed && resendable) {
            return failure.connectPhase() ? ANY : List.of(RESEND, ANSWER);
        }
        return nothingStarted && failure.connectPhase() ? NO_RESEND : ONLY_ANSWER;
    }
}
