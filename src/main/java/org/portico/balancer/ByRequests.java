package org.portico.balancer;

/**
 * httpd's byrequests: smooth weighted round robin over loadfactors (spec §4.3).
 *
 * <p>Not thread-safe on its own: like every {@link LbMethod}, called only under the balancer's lock.
 */
public final class ByRequests extends RequestCounting {

    public ByRequests() {
        super("byrequests");
    }

    @Override
    protected boolean beats(Worker w, Worker best, Accumulator acc) {
        // strict: on a tie the earlier member in configuration order keeps its place
        return best == null || w.lbstatus() > best.lbstatus();
    }
}
