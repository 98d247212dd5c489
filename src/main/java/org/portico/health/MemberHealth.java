package org.portico.health;

import org.portico.config.HealthCheck;

/**
 * One balancer member's health-check counters and last result: httpd's {@code pcount} and
 * {@code fcount}, with its state machine ({@link #record}). Thread-safe: the methods are synchronized;
 * results of one member arrive one at a time anyway, since its next check starts after this one ended.
 */
public final class MemberHealth {

    /** What a result asks of the member's flags. */
    enum Transition { NONE, FAIL, RECOVER }

    /**
     * A consistent reading for the manager and the metrics. {@code last} is null before the first check;
     * {@code passed} counts every check that passed since start (so {@code checks - passed} failed).
     */
    public record View(int pcount, int fcount, long checks, long passed, CheckOutcome last) {
    }

    private int pcount;
    private int fcount;
    private long checks;
    private long passed;
    private CheckOutcome last;

    /**
     * httpd's hc_check outcome handling. The counters are cumulative: they are not reset by the
     * opposite outcome, so {@code hcfails=3} means three failures while healthy, not three in a row.
     *
     * @param failedState whether the member is in C or E now (an ordinary E counts, as in httpd)
     */
    synchronized Transition record(CheckOutcome outcome, boolean failedState, HealthCheck hc) {
        checks++;
        if (outcome.passed()) {
            passed++;
        }
        last = outcome;
        if (failedState) {
            if (outcome.passed() && ++pcount >= hc.passes()) {
                pcount = 0;
                return Transition.RECOVER;
            }
        } else if (!outcome.passed() && ++fcount >= hc.fails()) {
            fcount = 0;
            return Transition.FAIL;
        }
        return Transition.NONE;
    }

    public synchronized View view() {
        return new View(pcount, fcount, checks, passed, last);
    }
}
