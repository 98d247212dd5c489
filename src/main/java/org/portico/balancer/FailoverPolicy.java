package org.portico.balancer;

import java.util.Set;
import org.portico.config.BalancerConfig;
import org.portico.config.StatusFlag;

/**
 * httpd's failover rules for one balancer (spec §6), as pure decisions: the proxy does the I/O and
 * asks what a failure means. Immutable and thread-safe; {@link Attempts} applies it to one request.
 *
 * <p>The retry loop: a handler result of 503 puts the member into error (unless it ignores errors)
 * and, if the member is now unusable and attempts remain, the request goes to another member (the whole
 * selection runs again, sticky route included). A 500 puts the member into error without failover;
 * any other status is returned as it is. After the final response, {@code failonstatus} and
 * {@code failontimeout} may put the last member into error, but never retry the request.
 */
public final class FailoverPolicy {

    /**
     * What one failed attempt leads to.
     *
     * @param status what the client gets if there is no failover (the handler's status)
     * @param markError whether the member goes into error state (E)
     * @param failOver whether the request is sent to another member (select again)
     */
    public record Decision(int status, boolean markError, boolean failOver) {
    }

    private final int maxAttempts;
    private final Set<Integer> failOnStatus;
    private final boolean failOnTimeout;

    /**
     * @param maxAttempts failovers allowed after the first attempt
     * @param failOnStatus final statuses that put the member into error after the response
     * @param failOnTimeout whether a timed-out attempt puts the member into error after the response
     */
    public FailoverPolicy(int maxAttempts, Set<Integer> failOnStatus, boolean failOnTimeout) {
        this.maxAttempts = Math.max(0, maxAttempts);
        this.failOnStatus = failOnStatus == null ? Set.of() : Set.copyOf(failOnStatus);
        this.failOnTimeout = failOnTimeout;
    }

    /** The policy of a balancer: its effective maxattempts, failonstatus and failontimeout. */
    public static FailoverPolicy of(BalancerConfig balancer) {
        return new FailoverPolicy(balancer.effectiveMaxAttempts(), balancer.failOnStatus(), balancer.failOnTimeout());
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The decision for a classified failure; see {@link #onStatus}. */
    Decision onFailure(Worker worker, Failure failure, int failoversSoFar) {
        return onStatus(worker, failure.status(), failoversSoFar);
    }

    /**
     * The decision for an attempt whose handler returned {@code handlerStatus} (not OK).
     *
     * @param failoversSoFar how many times this request has already failed over
     */
    public Decision onStatus(Worker worker, int handlerStatus, int failoversSoFar) {
        boolean ignoresErrors = worker.has(StatusFlag.IGNORE_ERRORS);
        boolean markError = (handlerStatus == 500 || handlerStatus == 503) && !ignoresErrors;
        // httpd loops while the worker is unusable: a worker with I stays usable and is not left
        boolean unusableAfter = markError || !worker.usable();
        boolean failOver = handlerStatus == 503 && unusableAfter && failoversSoFar < maxAttempts;
        return new Decision(handlerStatus, markError, failOver);
    }

    /**
     * httpd's post_request: whether the member that produced the final response goes into error, by
     * {@code failonstatus} (the final status, including ones the proxy made itself) or by
     * {@code failontimeout}. Never for a member that ignores errors.
     *
     * @param timedOut whether this member's attempt timed out (read or ping timeout)
     */
    public boolean marksErrorAfterResponse(Worker worker, int finalStatus, boolean timedOut) {
        if (worker.has(StatusFlag.IGNORE_ERRORS)) {
            return false;
        }
        return failOnStatus.contains(finalStatus) || (failOnTimeout && timedOut);
    }
}
