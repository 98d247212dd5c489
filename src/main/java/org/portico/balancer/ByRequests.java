package org.portico.balancer;

/**
 * httpd's byrequests: smooth weighted round robin over loadfactors (spec §4.3).
 *
 * <p>Not thread-safe on its own: like every {@link LbMethod}, called only under the balancer's lock.
 */
public final class ByRequests extends TierSelection {

    @Override
    public String name() {
        return "byrequests";
    }

    @Override
    protected boolean isBest(Worker w, Worker best, Accumulator acc) {
        acc.credit(w);
        // strict: on a tie the earlier member in configuration order keeps its place
        return best == null || w.lbstatus() > best.lbstatus();
    }

    @Override
    protected void chosen(Worker w, Accumulator acc) {
        acc.debit(w);
    }
}
