package org.portico.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.proxy.ExchangeListener;
import org.portico.proxy.Gateway;

/**
 * Counts every exchange end into its member's {@link MemberTraffic}: the one piece of the metrics on the
 * request path (an identity-map look-up and three lock-free updates). Members are found by their worker;
 * a worker that is no balancer member (a direct {@code pass} target) is not counted. Thread-safe.
 */
final class ExchangeRecorder implements ExchangeListener {

    /** From 1 ms to a minute: a cached answer to a slow report, roughly 2.5 steps a decade. */
    static final double[] DURATION_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Stands for "no member" in {@link #byWorker}, which cannot hold null. */
    private static final MemberTraffic UNTRACKED = new MemberTraffic(null);

    private final Histogram duration;
    /** By member, across gateways: a member's counters go on when the descriptor is swapped. */
    private final Map<MemberKey, MemberTraffic> traffic = new ConcurrentHashMap<>();
    /** The hot path's look-up; emptied when another gateway is attached. */
    private final Map<Worker, MemberTraffic> byWorker = new ConcurrentHashMap<>();
    private final Runnable newMember;
    private volatile Gateway gateway;

    /** @param newMember told when an exchange ends on a member not there at {@link #attach} (the manager added it) */
    ExchangeRecorder(PrometheusRegistry registry, Runnable newMember) {
        this.duration = Histogram.builder()
                .name("portico_member_request_duration_seconds")
                .help("How long exchanges with the member took, from choosing it to the last byte handed to the client")
                .labelNames("balancer", "member")
                .classicOnly()
                .classicUpperBounds(DURATION_BOUNDS)
                .withoutExemplars()
                .register(registry);
        this.newMember = newMember;
    }

    /**
     * From now on counts the exchanges of {@code g}'s members. Their traffic is looked up here, so that the
     * first exchange of each does no more work than the others (the client's response waits for it).
     */
    void attach(Gateway g) {
        gateway = g;
        byWorker.clear();
        for (Balancer b : g.balancers()) {
            for (Worker w : b.members()) {
                byWorker.put(w, traffic(MemberKey.of(b, w)));
            }
        }
        g.listenToExchanges(this);
    }

    @Override
    public void ended(Worker worker, End end) {
        MemberTraffic t = byWorker.get(worker);
        if (t == null) {
            t = resolve(worker);
        }
        if (t != UNTRACKED) {
            t.record(end);
        }
    }

    private MemberTraffic resolve(Worker worker) {
        Gateway g = gateway;
        MemberKey key = g == null ? null : MemberKey.find(g.balancers(), worker);
        MemberTraffic t = key == null ? UNTRACKED : traffic(key);
        if (byWorker.putIfAbsent(worker, t) == null && key != null) {
            newMember.run();
        }
        return t;
    }

    /** The traffic of {@code key}, made (with zero counts) when there was none yet. */
    MemberTraffic traffic(MemberKey key) {
        return traffic.computeIfAbsent(key, k -> new MemberTraffic(duration.labelValues(k.balancer(), k.member())));
    }

    /** The durations as the Prometheus client has them now (read by the MXBeans for their histogram). */
    Histogram duration() {
        return duration;
    }
}
