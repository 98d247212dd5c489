package org.portico.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.health.MemberHealth;
import org.portico.proxy.Gateway;

/** {@link MemberMXBean} read from the member in the gateway attached now. Thread-safe (reads only). */
final class MemberBean implements MemberMXBean {

    private final MemberKey key;
    private final Supplier<Gateway> gateway;
    private final ExchangeRecorder recorder;

    MemberBean(MemberKey key, Supplier<Gateway> gateway, ExchangeRecorder recorder) {
        this.key = key;
        this.gateway = gateway;
        this.recorder = recorder;
    }

    /** The member now; a bean outlives its member only until the next {@link JmxBeans#sync}. */
    private Worker worker() {
        Balancer b = gateway.get().balancer(key.balancer());
        Worker w = b == null ? null : b.member(key.member());
        if (w == null) {
            throw new IllegalStateException("member " + key.member() + " is no longer in balancer " + key.balancer());
        }
        return w;
    }

    private MemberTraffic traffic() {
        return recorder.traffic(key);
    }

    @Override
    public String getBalancer() {
        return key.balancer();
    }

    @Override
    public String getMember() {
        return key.member();
    }

    @Override
    public String getStatus() {
        return worker().statusString().trim();
    }

    @Override
    public boolean isUsable() {
        return worker().usable();
    }

    @Override
    public double getLoadFactor() {
        return worker().config().params().loadfactor();
    }

    @Override
    public int getBusy() {
        return worker().busy();
    }

    @Override
    public long getElected() {
        return worker().electedCount();
    }

    @Override
    public long getRequests() {
        return traffic().requests();
    }

    @Override
    public long getErrors() {
        return traffic().errorsTotal();
    }

    @Override
    public Map<String, Long> getErrorsByKind() {
        MemberTraffic t = traffic();
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (int i = 0; i < ErrorKind.LABELS.size(); i++) {
            byKind.put(ErrorKind.LABELS.get(i), t.errors(i));
        }
        return byKind;
    }

    @Override
    public long getBytesSent() {
        return worker().bytesTransferred();
    }

    @Override
    public long getBytesReceived() {
        return worker().bytesRead();
    }

    @Override
    public Map<String, Long> getLatencyHistogram() {
        traffic(); // the data point exists from here on, so a member without traffic shows zeros
        Map<String, Long> cumulative = new LinkedHashMap<>();
        for (HistogramSnapshot.HistogramDataPointSnapshot p : recorder.duration().collect().getDataPoints()) {
            if (key.balancer().equals(p.getLabels().get("balancer")) && key.member().equals(p.getLabels().get("member"))) {
                ClassicHistogramBuckets buckets = p.getClassicBuckets();
                long n = 0;
                for (int i = 0; i < buckets.size(); i++) {
                    n += buckets.getCount(i);
                    double le = buckets.getUpperBound(i);
                    cumulative.put(Double.isInfinite(le) ? "+Inf" : Double.toString(le), n);
                }
            }
        }
        return cumulative;
    }

    @Override
    public double getLatencySecondsSum() {
        return traffic().duration().getSum();
    }

    private MemberHealth.View health() {
        MemberHealth.View v = gateway.get().health().view(worker());
        return v == null || v.last() == null ? null : v;
    }

    @Override
    public String getHealthCheckLast() {
        MemberHealth.View v = health();
        return v == null ? "" : (v.last().passed() ? "passed: " : "failed: ") + v.last().detail();
    }

    @Override
    public long getHealthCheckLastMillis() {
        MemberHealth.View v = health();
        return v == null ? -1 : v.last().durationMillis();
    }

    @Override
    public long getHealthChecksPassed() {
        MemberHealth.View v = health();
        return v == null ? 0 : v.passed();
    }

    @Override
    public long getHealthChecksFailed() {
        MemberHealth.View v = health();
        return v == null ? 0 : v.checks() - v.passed();
    }
}
