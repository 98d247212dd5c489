package org.portico.balancer;

import java.util.ArrayList;
import java.util.List;
import org.portico.config.StatusFlag;

/**
 * httpd's generic selection skeleton (proxy_balancer_get_best_worker): lbset tiers lowest first,
 * hot spares (R) standing in for unusable regular members one for one, hot standbys (H) only when
 * nothing else in the tier can serve, drained members (N) never chosen here.
 */
public abstract class TierSelection implements LbMethod {

    /** Whether {@code candidate} beats {@code best} (null when there is none yet); may update accounting. */
    protected abstract boolean isBest(Worker candidate, Worker best, Accumulator acc);

    /** Called once with the chosen worker, after all tiers. */
    protected void chosen(Worker w, Accumulator acc) {
    }

    /** Per-selection scratch state an lbmethod may use (httpd's {@code total}). */
    protected static final class Accumulator {
        public long total;
    }

    @Override
    public Worker find(List<Worker> members, long nowMillis) {
        Accumulator acc = new Accumulator();
        Worker best = null;
        int maxLbset = 0;
        for (int lbset = 0; lbset <= maxLbset && best == null; lbset++) {
            int unusable = 0;
            List<Worker> spares = null;
            List<Worker> standbys = null;
            for (Worker w : members) {
                int set = w.config().params().lbset();
                maxLbset = Math.max(maxLbset, set);
                if (set != lbset) {
                    continue;
                }
                if (w.has(StatusFlag.DRAIN)) {
                    if (!w.has(StatusFlag.HOT_SPARE) && !w.has(StatusFlag.HOT_STANDBY)) {
                        unusable++;
                    }
                    continue;
                }
                boolean usable = w.usable() || w.retryIfDue(nowMillis);
                if (w.has(StatusFlag.HOT_SPARE)) {
                    if (usable) {
                        spares = add(spares, w);
                    }
                } else if (w.has(StatusFlag.HOT_STANDBY)) {
                    if (usable) {
                        standbys = add(standbys, w);
                    }
                } else if (usable) {
                    if (isBest(w, best, acc)) {
                        best = w;
                    }
                } else {
                    unusable++;
                }
            }
            if (spares != null) {
                for (int i = 0; i < Math.min(spares.size(), unusable); i++) {
                    if (isBest(spares.get(i), best, acc)) {
                        best = spares.get(i);
                    }
                }
            }
            if (best == null && standbys != null) {
                for (Worker s : standbys) {
                    if (isBest(s, best, acc)) {
                        best = s;
                    }
                }
            }
        }
        if (best != null) {
            chosen(best, acc);
        }
        return best;
    }

    private static List<Worker> add(List<Worker> list, Worker w) {
        List<Worker> l = list == null ? new ArrayList<>(2) : list;
        l.add(w);
        return l;
    }
}
