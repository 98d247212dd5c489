package org.portico.balancer;

import java.util.List;

/**
 * httpd's bytraffic (spec §4.5): the member that has moved the fewest bytes relative to its
 * loadfactor, {@code transferred / lbfactor + read / lbfactor} with integer divisions; ties go to the
 * earlier member. The counters are never aged; lbstatus is not used (except by the sticky update).
 *
 * <p>Not thread-safe on its own: like every {@link LbMethod}, called only under the balancer's lock.
 */
public final class ByTraffic extends TierSelection {

    @Override
    public String name() {
        return "bytraffic";
    }

    /** The measure bytraffic compares, exactly as httpd computes it. */
    static long traffic(Worker w) {
        int factor = w.config().params().lbfactor();
        return w.bytesTransferred() / factor + w.bytesRead() / factor;
    }

    @Override
    protected boolean isBest(Worker w, Worker best, Accumulator acc) {
        long traffic = traffic(w);
        if (best == null || traffic < acc.bestMeasure) {
            acc.bestMeasure = traffic;
            return true;
        }
        return false;
    }

    /** Zeroes the byte counters of every member, as httpd's reset does. */
    @Override
    public void reset(List<Worker> members) {
        for (Worker w : members) {
            w.resetTraffic();
        }
    }
}
