package org.portico.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.proxy.Gateway;

/**
 * The live picture's data: every few seconds, each worker's elected and error counters are sampled
 * into a bounded ring of its own, from which requests per second and errors per second over the last
 * minutes are computed. Thread-safe: one sampler thread writes, page requests read.
 */
final class TrafficHistory implements AutoCloseable {

    /** Samples kept per worker: with the default 5 s interval, ten minutes. */
    static final int CAPACITY = 121;

    /** The newest generation: members a reload removed leave the picture, kept ones keep their history. */
    private final Supplier<Gateway> gateway;
    private final Duration interval;
    private final LongSupplier clock;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private ScheduledExecutorService sampler;

    TrafficHistory(Gateway gateway, Duration interval, LongSupplier clockMillis) {
        this(() -> gateway, interval, clockMillis);
    }

    TrafficHistory(Supplier<Gateway> gateway, Duration interval, LongSupplier clockMillis) {
        this.gateway = gateway;
        this.interval = interval;
        this.clock = clockMillis;
    }

    /** Starts sampling on a daemon thread of its own; {@link #close} stops it. */
    void start() {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portico-manager-sampler");
            t.setDaemon(true);
            return t;
        });
        sample();
        sampler.scheduleAtFixedRate(this::sampleQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    Duration interval() {
        return interval;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: keep the picture going
            org.slf4j.LoggerFactory.getLogger(TrafficHistory.class).warn("balancer-manager sampling failed", e);
        }
    }

    /** Takes one sample of every member of every balancer (members added since are picked up). */
    void sample() {
        long now = clock.getAsLong();
        java.util.Set<String> present = new java.util.HashSet<>();
        for (Balancer b : gateway.get().balancers()) {
            for (Worker w : b.members()) {
                present.add(key(b, w));
                rings.computeIfAbsent(key(b, w), k -> new Ring()).add(now, w.electedCount(), w.errors());
            }
        }
        rings.keySet().retainAll(present);
    }

    private static String key(Balancer b, Worker w) {
        return b.name() + ' ' + w.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Requests/s and errors/s between consecutive samples, oldest first, for one member. */
    Rates rates(Balancer b, Worker w) {
        Ring r = rings.get(key(b, w));
        return r == null ? new Rates(List.of(), List.of()) : r.rates();
    }

    /** Per-second rates between consecutive samples, oldest first. */
    record Rates(List<Double> requests, List<Double> errors) {
    }

    /**
     * The JSON the page's script redraws from:
     * {@code {"interval":5,"capacity":120,"balancers":[{"name":"demo","workers":[{"name":..,"rps":[..],"eps":[..]}]}]}}.
     */
    Map<String, Object> toJson() {
        List<Object> balancers = new ArrayList<>();
        for (Balancer b : gateway.get().balancers()) {
            List<Object> workers = new ArrayList<>();
            for (Worker w : b.members()) {
                Rates r = rates(b, w);
                Map<String, Object> wj = new LinkedHashMap<>();
                wj.put("name", w.name());
                wj.put("rps", r.requests());
                wj.put("eps", r.errors());
                workers.add(wj);
            }
            Map<String, Object> bj = new LinkedHashMap<>();
            bj.put("name", b.name());
            bj.put("workers", workers);
            balancers.add(bj);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("interval", interval.toMillis() / 1000.0);
        doc.put("capacity", CAPACITY - 1);
        doc.put("balancers", balancers);
        return doc;
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }

    /** A fixed-size ring of cumulative samples. */
    private static final class Ring {
        private final long[] time = new long[CAPACITY];
        private final long[] elected = new long[CAPACITY];
        private final long[] errors = new long[CAPACITY];
        private int next;
        private int size;

        synchronized void add(long t, long e, long err) {
            time[next] = t;
            elected[next] = e;
            errors[next] = err;
            next = (next + 1) % CAPACITY;
            size = Math.min(size + 1, CAPACITY);
        }

        synchronized Rates rates() {
            List<Double> rps = new ArrayList<>(Math.max(0, size - 1));
            List<Double> eps = new ArrayList<>(Math.max(0, size - 1));
            int first = (next - size + CAPACITY) % CAPACITY;
            for (int i = 1; i < size; i++) {
                int a = (first + i - 1) % CAPACITY;
                int b = (first + i) % CAPACITY;
                double seconds = Math.max(1, time[b] - time[a]) / 1000.0;
                rps.add(round(Math.max(0, elected[b] - elected[a]) / seconds));
                eps.add(round(Math.max(0, errors[b] - errors[a]) / seconds));
            }
            return new Rates(rps, eps);
        }

        private static double round(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }
}
