package org.portico.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerEdit;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.ProxySettings;
import org.portico.config.StatusFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mod_proxy_hcheck for a running gateway: a watchdog that wakes every 100 ms, finds the balancer
 * members whose check is due (their last check ended at least {@code hcinterval} ago) and runs each
 * check on a pool of at most {@code ProxyHCTPsize} threads of its own (0: in the watchdog thread, as
 * httpd), never on a container or I/O thread. A member URL that two balancers share with the same
 * check parameters is checked once and the result given to both. Results move the members in and
 * out of {@code C} through {@link Balancer#apply}, under the balancer's lock, and each transition logs
 * one line. Thread-safe; {@link #close} stops the threads and waits for them.
 */
public final class HealthChecks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);
    /** httpd's watchdog period for hcheck. */
    static final long TICK_MILLIS = 100;

    private final Supplier<List<Balancer>> balancers;
    /** The descriptor's check settings and hc-expr conditions; a reload swaps them whole. */
    private volatile Checking checking;
    private final int threads;
    private final Map<Worker, MemberHealth> members = new ConcurrentHashMap<>();
    private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
    private final Map<Balancer, OutlierEjection> ejections = new ConcurrentHashMap<>();
    private ScheduledExecutorService watchdog;
    private ThreadPoolExecutor pool;

    /** What checks run with: the probe (made from the descriptor's settings) and the compiled hc-expr conditions. */
    private record Checking(ProxySettings settings, Map<String, String> texts, Probe probe,
                            Map<String, HcExpression> expressions) {

        static Checking of(ProxySettings settings, Map<String, String> texts) {
            Map<String, HcExpression> compiled = new LinkedHashMap<>();
            texts.forEach((name, text) -> compiled.put(name, HcExpression.parse(text)));
            return new Checking(settings, Map.copyOf(texts), new Probe(settings), Map.copyOf(compiled));
        }
    }

    /** One check to run: a member URL with its parameters (shared members with equal ones check once). */
    private record Key(String url, HealthCheck hc) {
    }

    /** When the check of one key last ended, and whether one is running. Guarded by itself. */
    private static final class Slot {
        long lastEnd;
        boolean inFlight;

        Slot(long now) {
            lastEnd = now; // as httpd: the first check comes one interval after start
        }
    }

    /** A member in the balancer it belongs to. */
    private record Member(Balancer balancer, Worker worker) {
    }

    /**
     * @param balancers the gateway's balancers, asked on every tick (the manager may add members)
     * @param expressions the descriptor's hc-expr texts by name; each must parse (the loader checked them)
     * @param threads ProxyHCTPsize: the most checks that run at once; 0 runs them one by one in the watchdog
     */
    public HealthChecks(Supplier<List<Balancer>> balancers, ProxySettings settings, Map<String, String> expressions,
                        int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 or more: " + threads);
        }
        this.balancers = balancers;
        this.threads = threads;
        this.checking = Checking.of(settings, expressions);
    }

    /**
     * After a descriptor reload: checks due from now on use the new settings and hc-expr conditions (a check
     * running now ends with the old ones), and what is kept about members and balancers no longer in
     * {@code live} is forgotten, so their checks and ejections stop.
     */
    public void reloaded(ProxySettings settings, Map<String, String> expressions, List<Balancer> live) {
        Checking c = checking;
        if (!c.settings().equals(settings) || !c.texts().equals(expressions)) {
            checking = Checking.of(settings, expressions);
        }
        java.util.Set<Worker> workers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Set<String> urls = new java.util.HashSet<>();
        for (Balancer b : live) {
            for (Worker w : b.members()) {
                workers.add(w);
                urls.add(w.name().toLowerCase(Locale.ROOT));
            }
        }
        members.keySet().retainAll(workers);
        slots.keySet().removeIf(k -> !urls.contains(k.url()));
        ejections.keySet().removeIf(b -> !live.contains(b));
    }

    /** Starts the watchdog. Call once, after the descriptor loaded and the gateway was built. */
    public synchronized void start() {
        if (watchdog != null) {
            throw new IllegalStateException("health checks started twice");
        }
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "portico-hc-watchdog"));
        w.setRemoveOnCancelPolicy(true);
        if (threads > 0) {
            pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> daemon(r, "portico-hc-" + n.incrementAndGet()));
            pool.allowCoreThreadTimeOut(true);
        }
        watchdog = w;
        w.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Turns passive outlier ejection on for {@code balancer} ({@code eject-after}): from now on its
     * requests' outcomes are counted.
     */
    public void ejectOutliers(Balancer balancer, BalancerConfig.Ejection policy) {
        OutlierEjection e = new OutlierEjection(balancer, policy);
        ejections.put(balancer, e);
        balancer.listenToOutcomes(e);
    }

    /** The ejection of {@code member} in force in {@code balancer} now, or null. */
    public OutlierEjection.Ejected ejected(Balancer balancer, Worker member) {
        OutlierEjection e = ejections.get(balancer);
        return e == null ? null : e.ejected(member, System.currentTimeMillis());
    }

    /** The counters and last result of {@code member}, or null when it was never checked. */
    public MemberHealth.View view(Worker member) {
        MemberHealth h = members.get(member);
        return h == null ? null : h.view();
    }

    /** One watchdog round: starts every check that is due. */
    void tick() {
        try {
            long now = System.currentTimeMillis();
            for (Map.Entry<Key, List<Member>> due : due(now).entrySet()) {
                Runnable check = () -> run(due.getKey(), due.getValue());
                if (pool == null) {
                    check.run();
                } else {
                    pool.execute(check);
                }
            }
        } catch (RuntimeException e) {
            // a watchdog that dies silently stops all checking: log and go on with the next tick
            LOG.error("health-check watchdog: {}", e.toString(), e);
        }
    }

    /** The checks due at {@code now}, each marked in flight, with the members it speaks for. */
    private Map<Key, List<Member>> due(long now) {
        Map<Key, List<Member>> byKey = new LinkedHashMap<>();
        for (Balancer b : balancers.get()) {
            for (Worker w : b.members()) {
                HealthCheck hc = w.config().params().healthCheck();
                if (!hc.enabled() || w.has(StatusFlag.STOPPED)) {
                    continue; // httpd skips stopped members; disabled ones are checked and stay D
                }
                byKey.computeIfAbsent(new Key(w.name().toLowerCase(Locale.ROOT), hc), k -> new ArrayList<>())
                        .add(new Member(b, w));
            }
        }
        Map<Key, List<Member>> due = new LinkedHashMap<>();
        byKey.forEach((key, list) -> {
            Slot slot = slots.computeIfAbsent(key, k -> new Slot(now));
            synchronized (slot) {
                if (!slot.inFlight && now - slot.lastEnd >= key.hc().interval().toMillis()) {
                    slot.inFlight = true;
                    due.put(key, list);
                }
            }
        });
        return due;
    }

    private void run(Key key, List<Member> list) {
        Slot slot = slots.get(key);
        try {
            HealthCheck hc = key.hc();
            Checking c = checking;
            HcExpression expr = hc.expr().isEmpty() || hc.method().equalsIgnoreCase("TCP")
                    || hc.method().equalsIgnoreCase("CPING") ? null : c.expressions().get(hc.expr());
            CheckOutcome outcome = c.probe().check(list.get(0).worker().config(), hc, expr);
            for (Member m : list) {
                apply(m, hc, outcome);
            }
        } catch (RuntimeException e) {
            LOG.error("health check of {} failed unexpectedly: {}", key.url(), e.toString(), e);
        } finally {
            synchronized (slot) {
                slot.inFlight = false;
                slot.lastEnd = System.currentTimeMillis();
            }
        }
    }

    private void apply(Member m, HealthCheck hc, CheckOutcome outcome) {
        Worker w = m.worker();
        MemberHealth health = members.computeIfAbsent(w, k -> new MemberHealth());
        boolean failedState = w.has(StatusFlag.HC_FAIL) || w.has(StatusFlag.IN_ERROR);
        MemberHealth.Transition t = health.record(outcome, failedState, hc);
        if (t == MemberHealth.Transition.NONE) {
            return;
        }
        String from = w.statusString().trim();
        try {
            if (t == MemberHealth.Transition.FAIL) {
                m.balancer().apply(BalancerEdit.NONE.withMember(w, null, Map.of(StatusFlag.HC_FAIL, true)));
            } else {
                // E is not edited through BalancerEdit; it is cleared as the proxy sets it, on the worker
                w.set(StatusFlag.IN_ERROR, false);
                m.balancer().apply(BalancerEdit.NONE.withMember(w, null, Map.of(StatusFlag.HC_FAIL, false)));
            }
        } catch (IllegalArgumentException e) {
            return; // a descriptor reload removed the member meanwhile
        }
        LOG.info("health check: {} in {}: {} -> {}: {} ({} in {} ms; {})", w.name(), m.balancer().config().url(), from,
                w.statusString().trim(), t == MemberHealth.Transition.FAIL ? "failed" : "recovered",
                outcome.detail(), outcome.durationMillis(),
                t == MemberHealth.Transition.FAIL ? "hcfails " + hc.fails() : "hcpasses " + hc.passes());
    }

    /** Stops the watchdog and the check threads and waits for them (a running check ends within its timeouts). */
    @Override
    public synchronized void close() {
        if (watchdog == null) {
            return;
        }
        watchdog.shutdownNow();
        if (pool != null) {
            pool.shutdownNow();
        }
        checking.probe().abort(); // blocking socket reads ignore interrupts: closing their sockets ends them
        try {
            watchdog.awaitTermination(10, TimeUnit.SECONDS);
            if (pool != null && !pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("health checks still running 10 s after close: {} thread(s)", pool.getActiveCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The thread pool's size (ProxyHCTPsize). */
    public int threads() {
        return threads;
    }
}
