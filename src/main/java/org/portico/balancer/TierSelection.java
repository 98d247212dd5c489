package org.portico.balancer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.portico.config.StatusFlag;

/**
 * httpd's generic selection skeleton (proxy_balancer_get_best_worker, spec §4.2): lbset tiers lowest
 * first, hot spares (R) standing in for unusable regular members one for one, hot standbys (H) only
 * when nothing else in the tier can serve, drained members (N) never chosen here. Unusable members
 * whose retry time has passed are put back into service while the tier is scanned.
 *
 * <p>Subclasses say how one candidate compares with the best so far ({@link #isBest}), as httpd's
 * byrequests, bybusyness and bytraffic do. Methods that do not compare pairwise can use
 * {@link #candidates} instead.
 *
 * <p>Like every {@link LbMethod}, called under the balancer's selection lock; an {@link Accumulator}
 * lives for one selection on one thread.
 */
public abstract class TierSelection implements LbMethod {

    /**
     * Whether {@code candidate} beats {@code best} (null when there is none yet); may update accounting.
     * Must return true when {@code best} is null, as every httpd method does.
     */
    protected abstract boolean isBest(Worker candidate, Worker best, Accumulator acc);

    /** Called once with the chosen worker, after all tiers. */
    protected void chosen(Worker w, Accumulator acc) {
    }

    /** Per-selection scratch state an lbmethod may use (httpd's {@code total}, bytraffic's minimum). */
    protected static final class Accumulator {
        public long total;
        /** The measure of the best worker so far, for methods that compare one (traffic, busyness). */
        public long bestMeasure;

        /** byrequests' accounting for an evaluated worker: its lbstatus and the total grow by its factor. */
        public void credit(Worker w) {
            int factor = w.config().params().lbfactor();
            w.addLbstatus(factor);
            total += factor;
        }

        /** byrequests' accounting for the chosen worker: it gives back the total. */
        public void debit(Worker w) {
            w.addLbstatus(-total);
        }
    }

    @Override
    public Worker find(List<Worker> members, long nowMillis) {
        Accumulator acc = new Accumulator();
        Worker best = null;
        int maxLbset = 0;
        for (int lbset = 0; lbset <= maxLbset && best == null; lbset++) {
            Tier tier = scan(members, lbset, nowMillis);
            maxLbset = Math.max(maxLbset, tier.maxLbset);
            for (Worker w : tier.preferred) {
                if (isBest(w, best, acc)) {
                    best = w;
                }
            }
            if (best == null) {
                for (Worker s : tier.standbys) {
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

    /**
     * The members the skeleton offers an lbmethod for a new request: of the lowest lbset that has any,
     * its usable regular members and the spares standing in for its unusable ones (in configuration
     * order), or else its usable hot standbys. Empty when no member can serve. Runs the retry check on
     * unusable members of the tiers it looks at, as httpd does.
     */
    public static List<Worker> candidates(List<Worker> members, long nowMillis) {
        int maxLbset = 0;
        for (int lbset = 0; lbset <= maxLbset; lbset++) {
            Tier tier = scan(members, lbset, nowMillis);
            maxLbset = Math.max(maxLbset, tier.maxLbset);
            if (!tier.preferred.isEmpty()) {
                return Collections.unmodifiableList(tier.preferred);
            }
            if (!tier.standbys.isEmpty()) {
                return Collections.unmodifiableList(tier.standbys);
            }
        }
        return List.of();
    }

    /** One lbset as the skeleton sorts it. */
    private static final class Tier {
        final List<Worker> preferred = new ArrayList<>();
        final List<Worker> standbys = new ArrayList<>(0);
        int maxLbset;
    }

    private static Tier scan(List<Worker> members, int lbset, long nowMillis) {
        Tier tier = new Tier();
        int unusable = 0;
        List<Worker> spares = null;
        for (Worker w : members) {
            int set = w.config().params().lbset();
            tier.maxLbset = Math.max(tier.maxLbset, set);
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
                    if (spares == null) {
                        spares = new ArrayList<>(2);
                    }
                    spares.add(w);
                }
            } else if (w.has(StatusFlag.HOT_STANDBY)) {
                if (usable) {
                    tier.standbys.add(w);
                }
            } else if (usable) {
                tier.preferred.add(w);
            } else {
                unusable++;
            }
        }
        if (spares != null) {
            // only the first k usable spares, k being the number of unusable regular members
            tier.preferred.addAll(spares.subList(0, Math.min(spares.size(), unusable)));
        }
        return tier;
    }
}
