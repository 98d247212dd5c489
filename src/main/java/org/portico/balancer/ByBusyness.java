package org.portico.balancer;

/**
 * httpd's bybusyness (spec §4.4): the member with the fewest requests in flight, byrequests'
 * smooth weighted round robin among equally busy ones.
 *
 * <p>Every evaluated member gets byrequests' lbstatus accounting, so with equal busyness the order
 * is exactly byrequests'. {@code busy} is the proxy's live count ({@link Worker#requestStarted()} to
 * {@link Worker#requestEnded()}); it changes outside the selection lock, as in httpd, so two
 * simultaneous selections may see the same count.
 *
 * <p>{@link #reset} zeroes lbstatus only. httpd also zeroes {@code busy}, because its shared-memory
 * count can leak when a child dies; Portico's count is exact, and zeroing it under requests in flight
 * would drive it negative.
 *
 * <p>Not thread-safe on its own: like every {@link LbMethod}, called only under the balancer's lock.
 */
public final class ByBusyness extends RequestCounting {

    public ByBusyness() {
        super("bybusyness");
    }

    @Override
    protected boolean beats(Worker w, Worker best, Accumulator acc) {
        // busy is read once per candidate: it moves while we look
        int busy = w.busy();
        if (best == null || busy < acc.bestMeasure || (busy == acc.bestMeasure && w.lbstatus() > best.lbstatus())) {
            acc.bestMeasure = busy;
            return true;
        }
        return false;
    }
}
