package org.portico.balancer;

/**
 * The failover bookkeeping of one request on one balancer: applies {@link FailoverPolicy}'s decisions
 * to the members (error state) and counts failovers against maxattempts. Not thread-safe: one request
 * drives it, one attempt at a time.
 *
 * <p>Typical use: {@code select}; on a failure {@link #failed}; if {@code failOver()} select again
 * (a member now in error is skipped), else answer {@code status()}; once the response is complete,
 * {@link #completed}.
 */
public final class Attempts {

    private final FailoverPolicy policy;
    private final OutcomeListener outcomes;
    private int failovers;

    public Attempts(FailoverPolicy policy) {
        this(policy, null);
    }

    /** @param outcomes hears each attempt's end (outlier ejection), or null */
    public Attempts(FailoverPolicy policy, OutcomeListener outcomes) {
        this.policy = policy;
        this.outcomes = outcomes;
    }

    /** Records a failed attempt on {@code worker}; marks it in error when the rules say so. */
    public FailoverPolicy.Decision failed(Worker worker, Failure failure, long nowMillis) {
        return failed(worker, failure.status(), nowMillis);
    }

    /** Records an attempt whose handler returned {@code handlerStatus} instead of a response. */
    public FailoverPolicy.Decision failed(Worker worker, int handlerStatus, long nowMillis) {
        FailoverPolicy.Decision d = policy.onStatus(worker, handlerStatus, failovers);
        if (outcomes != null) {
            outcomes.failed(worker, nowMillis);
        }
        if (d.markError()) {
            worker.markError(nowMillis);
        }
        if (d.failOver()) {
            failovers++;
        }
        return d;
    }

    /**
     * The response went to the client: applies failonstatus / failontimeout to the member that served
     * it. Nothing is retried.
     *
     * @param timedOut whether this member's attempt timed out (a read or ping timeout)
     * @return whether the member was put into error state
     */
    public boolean completed(Worker worker, int finalStatus, boolean timedOut, long nowMillis) {
        if (outcomes != null) {
            outcomes.responded(worker, finalStatus, nowMillis);
        }
        if (policy.marksErrorAfterResponse(worker, finalStatus, timedOut)) {
            worker.markError(nowMillis);
            return true;
        }
        return false;
    }

    /** How many times this request has failed over so far. */
    int failovers() {
        return failovers;
    }

    /** How many failovers remain. */
    public int remaining() {
        return policy.maxAttempts() - failovers;
    }
}
