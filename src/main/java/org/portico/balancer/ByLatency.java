package org.portico.balancer;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Beyond httpd: {@code lbmethod=bylatency}, peak-EWMA response time with the power of two choices.
 *
 * <p>Among the candidates of httpd's tier skeleton ({@link TierSelection#candidates}: lbset, spares,
 * standbys and drain behave as with byrequests), two distinct members are drawn at random and the
 * cheaper one wins. The cost of a member is
 * <pre>  estimate × (busy + 1) / lbfactor</pre>
 * where {@code estimate} is its {@link PeakEwma} response time: a slow member costs more at once,
 * requests in flight multiply the cost, and a higher loadfactor divides it. A member with no sample
 * yet costs nothing while idle (so it is tried) and a large penalty per request in flight (its speed is
 * unknown). Because the estimate decays towards zero while a member gets no traffic, a member that was
 * avoided for being slow is tried again after a while and kept only if it answers faster.
 *
 * <p>Drawing two at random rather than taking the global minimum avoids herding every request onto
 * the member that looked best a moment ago. Ties go to the less busy member, then to the one earlier in
 * configuration order. The proxy feeds the estimates with {@link Worker#recordResponseTime}.
 *
 * <p>Not thread-safe on its own: like every {@link LbMethod}, called only under the balancer's lock.
 */
public final class ByLatency implements LbMethod {

    /** The cost per request in flight of a member with no sample yet: worse than any real estimate. */
    static final double UNMEASURED_PENALTY = 1e15;

    private final RandomGenerator random;

    /** The provider ServiceLoader creates, drawing from {@link ThreadLocalRandom}. */
    public ByLatency() {
        this(null);
    }

    /** @param random the source of the two draws; null for {@link ThreadLocalRandom} */
    public ByLatency(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public String name() {
        return "bylatency";
    }

    @Override
    public Worker find(List<Worker> members, long nowMillis) {
        List<Worker> candidates = TierSelection.candidates(members, nowMillis);
        int n = candidates.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return candidates.get(0);
        }
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        int i = r.nextInt(n);
        int j = r.nextInt(n - 1);
        if (j >= i) {
            j++; // two distinct members, each pair equally likely
        }
        Worker a = candidates.get(Math.min(i, j));
        Worker b = candidates.get(Math.max(i, j));
        int busyA = a.busy();
        int busyB = b.busy();
        double costA = cost(a, busyA, nowMillis);
        double costB = cost(b, busyB, nowMillis);
        if (costA != costB) {
            return costA < costB ? a : b;
        }
        return busyB < busyA ? b : a;
    }

    /** What sending one more request to {@code w} is expected to cost, relative to other members. */
    static double cost(Worker w, int busy, long nowMillis) {
        PeakEwma rt = w.responseTime();
        int inFlight = Math.max(0, busy);
        double perRequest = rt.samples() == 0
                ? (inFlight == 0 ? 0 : UNMEASURED_PENALTY)
                : rt.estimateNanos(nowMillis);
        return perRequest * (inFlight + 1) / w.config().params().lbfactor();
    }

    /** Forgets every member's response time estimate. */
    @Override
    public void reset(List<Worker> members) {
        for (Worker w : members) {
            w.responseTime().reset();
        }
    }
}
