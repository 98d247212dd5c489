package org.portico.shared;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.portico.balancer.Balancer;
import org.portico.proxy.Gateway;
import org.portico.proxy.LiveGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one instance's balancers in step with the shared store: every change of an intent key, this instance's own
 * writes included, arrives by the watch and is applied here, on one thread, as {@link Intents} turns it into a
 * {@link org.portico.balancer.BalancerEdit} (so there is one path for an edit, whoever made it). Writes go to the store
 * by compare-and-set ({@link #commit}); the manager then waits for its own watch to bring them back
 * ({@link #awaitApplied}). While the store is unreachable the proxy runs on the last applied state and
 * {@link #staleSinceMillis()} says since when; a reconnect resyncs everything. A health tick publishes what this
 * instance observes of each member and, with an error quorum, honours the others' reports.
 *
 * <p>Thread-safe: store events are handed to one applying thread; applying takes the {@link LiveGateway}'s monitor,
 * as manager edits and reloads do.
 */
public final class SharedSync implements StoreListener, AutoCloseable {

    /** The context parameter and system property naming the store ({@link StoreAddress}). */
    public static final String PARAM = "portico.shared-state";
    /** The servlet-context attribute holding the running instance, when shared state is on. */
    public static final String ATTRIBUTE = SharedSync.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(SharedSync.class);

    private final StoreAddress address;
    private final SharedKeys keys;
    private final SharedState store;
    private final LiveGateway live;
    private final String instance;
    private final long startedAt = System.currentTimeMillis();
    private final ExecutorService applier = Executors.newSingleThreadExecutor(r -> daemon(r, "portico-shared-apply"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "portico-shared-health"));
    /** Each intent key and the entry applied last; written by the applying thread only. */
    private final Map<String, StoreEntry> applied = new ConcurrentHashMap<>();
    private final ClusterView cluster = new ClusterView();
    /** Health keys and what was put there last; the ticker's own. */
    private final Map<String, HealthReport> published = new ConcurrentHashMap<>();
    private volatile boolean connected;
    private volatile long staleSince;
    private volatile boolean registered;
    private volatile Consumer<Gateway> afterApply = g -> { };
    private volatile LongConsumer lagObserver = lag -> { };

    SharedSync(StoreAddress address, SharedState store, LiveGateway live) {
        this.address = address;
        this.keys = SharedKeys.of(address);
        this.store = store;
        this.live = live;
        this.instance = address.instance() != null ? address.instance() : defaultInstanceName();
        this.staleSince = startedAt; // until the first connection, the state is the snapshot's or the descriptor's
    }

    /**
     * Opens the store named by {@code address} with the engine {@code loader} finds, and starts the watch and the
     * health tick. Returns at once, also when the store is down.
     *
     * @throws IllegalArgumentException when no engine serves the address's scheme (its jar is missing)
     */
    public static SharedSync start(StoreAddress address, LiveGateway live, ClassLoader loader) {
        SharedStateEngine engine = null;
        java.util.Iterator<SharedStateEngine> engines = ServiceLoader.load(SharedStateEngine.class, loader).iterator();
        while (true) {
            SharedStateEngine e;
            try {
                if (!engines.hasNext()) {
                    break;
                }
                e = engines.next();
            } catch (java.util.ServiceConfigurationError broken) {
                // another engine's jar listed but incomplete: it cannot serve, the one asked for still may
                LOG.warn("Shared state: an engine could not be loaded: {}", broken.getMessage());
                continue;
            }
            if (e.scheme().equals(address.scheme())) {
                engine = e;
            }
        }
        if (engine == null) {
            throw new IllegalArgumentException(PARAM + "=" + address + ": the " + address.scheme() + " engine is not "
                    + "installed; put portico-shared-" + address.scheme() + ".jar into WEB-INF/lib (the standalone jar: "
                    + "--lib portico-shared-" + address.scheme() + ".jar)");
        }
        return start(address, engine.open(address), live);
    }

    /** Starts on an opened store (tests give their own). */
    static SharedSync start(StoreAddress address, SharedState store, LiveGateway live) {
        SharedSync sync = new SharedSync(address, store, live);
        live.onSwap(sync::reapplyAll);
        store.watch(sync.keys.root(), sync);
        sync.ticker.scheduleWithFixedDelay(sync::tick, 0, 1, TimeUnit.SECONDS);
        LOG.info("Shared state: {} as instance {}, reports live {} s after an instance dies{}", address, sync.instance,
                address.ttl().toSeconds(), address.errorQuorum() > 0 ? ", a member is in error here while "
                        + address.errorQuorum() + " other instance(s) report it so" : "");
        return sync;
    }

    // ------------------------------------------------------------------ store events, handed to one thread

    @Override
    public void changed(StoreEntry entry) {
        applier.execute(() -> {
            onChanged(entry, false);
            afterApply.accept(live.current());
        });
    }

    @Override
    public void deleted(String key) {
        applier.execute(() -> onDeleted(key));
    }

    @Override
    public void resynced(List<StoreEntry> all) {
        applier.execute(() -> {
            Set<String> present = new HashSet<>();
            cluster.clear();
            for (StoreEntry e : all) {
                present.add(e.key());
                onChanged(e, false);
            }
            for (String key : Set.copyOf(applied.keySet())) {
                if (!present.contains(key)) {
                    onDeleted(key);
                }
            }
            afterApply.accept(live.current());
            LOG.info("Shared state {}: resynced, {} key(s)", address, all.size());
        });
    }

    @Override
    public void connection(boolean up) {
        if (up == connected) {
            return;
        }
        connected = up;
        if (up) {
            staleSince = 0;
            LOG.info("Shared state {}: connected", address);
        } else {
            staleSince = System.currentTimeMillis();
            LOG.warn("Shared state {}: unreachable; proxying goes on with the last applied state, manager edits are "
                    + "refused until it is back", address);
        }
    }

    private void onChanged(StoreEntry e, boolean force) {
        SharedKeys.Parsed p = keys.parse(e.key());
        if (p == null) {
            return;
        }
        try {
            switch (p.kind()) {
                case "instances" -> cluster.instancePresent(p.parts()[0], e.value());
                case "health" -> cluster.report(p.parts()[0], p.parts()[1], p.parts()[2],
                        Intents.parse(e.value(), HealthReport.class));
                default -> applyIntent(e, p, force);
            }
        } catch (RuntimeException ex) {
            LOG.warn("Shared state {}: {} (version {}) not applied: {}", address, e.key(), e.version(), ex.getMessage());
        }
    }

    private void applyIntent(StoreEntry e, SharedKeys.Parsed p, boolean force) {
        StoreEntry before = applied.get(e.key());
        if (!force && before != null && before.version() >= e.version()) {
            return;
        }
        long writtenAt;
        synchronized (live) {
            Gateway g = live.current();
            Balancer b = g.balancer(p.parts()[0]);
            applied.put(e.key(), e); // a key this generation cannot apply is still the newest known
            if (b == null) {
                throw new IllegalArgumentException("there is no balancer " + p.parts()[0] + " in this descriptor");
            }
            if (p.kind().equals("balancers")) {
                BalancerIntent i = Intents.parse(e.value(), BalancerIntent.class);
                Intents.apply(g, b, i);
                writtenAt = i.writtenAt();
            } else {
                MemberIntent i = Intents.parse(e.value(), MemberIntent.class);
                Intents.apply(g, b, i);
                writtenAt = i.writtenAt();
            }
            live.notifyAll();
        }
        if (!force) {
            lagObserver.accept(Math.max(0, System.currentTimeMillis() - writtenAt));
        }
    }

    private void onDeleted(String key) {
        SharedKeys.Parsed p = keys.parse(key);
        if (p == null) {
            return;
        }
        switch (p.kind()) {
            case "instances" -> cluster.instanceGone(p.parts()[0]);
            case "health" -> cluster.reportGone(p.parts()[0], p.parts()[1], p.parts()[2]);
            default -> {
                // the running state keeps what the key said; the descriptor applies again at the next start
                applied.remove(key);
                LOG.info("Shared state {}: {} was deleted", address, key);
            }
        }
    }

    /** A reloaded descriptor's generation gets every intent again. Runs under the LiveGateway's monitor. */
    private void reapplyAll(Gateway fresh) {
        for (StoreEntry e : List.copyOf(applied.values())) {
            SharedKeys.Parsed p = keys.parse(e.key());
            try {
                applyIntent(e, p, true);
            } catch (RuntimeException ex) {
                LOG.warn("Shared state {}: {} not applied to the reloaded descriptor: {}", address, e.key(), ex.getMessage());
            }
        }
        afterApply.accept(fresh); // the snapshot holds the reloaded generation with the shared intents on it
    }

    // ------------------------------------------------------------------ writes, for the manager

    /** The version of {@code key} this instance applied last; 0 when it knows no such key. */
    public long version(String key) {
        StoreEntry e = applied.get(key);
        return e == null ? 0 : e.version();
    }

    /**
     * Writes {@code writes} by compare-and-set. Not under the LiveGateway's monitor: the watch's thread needs it.
     */
    public Map<String, Long> commit(List<StoreWrite> writes) throws StoreConflictException, StoreUnavailableException {
        if (!connected && !store.connected()) {
            throw new StoreUnavailableException(address + " is unreachable", null);
        }
        return store.commit(writes);
    }

    /** Waits until this instance applied at least {@code versions} (key to version); false when {@code timeout} passed. */
    public boolean awaitApplied(Map<String, Long> versions, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (live) {
            while (true) {
                boolean all = true;
                for (Map.Entry<String, Long> v : versions.entrySet()) {
                    all &= version(v.getKey()) >= v.getValue();
                }
                if (all) {
                    return true;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(live, left);
            }
        }
    }

    // ------------------------------------------------------------------ health

    /**
     * Publishes what this instance observes of each member when it changed, and honours the error quorum. Runs each
     * second on the health thread (tests call it directly).
     */
    void tick() {
        try {
            if (!store.connected()) {
                return;
            }
            if (!registered) {
                store.putEphemeral(keys.instance(instance), Intents.json(Map.of("name", instance, "since", startedAt)));
                registered = true;
            }
            long now = System.currentTimeMillis();
            for (Balancer b : live.current().balancers()) {
                for (org.portico.balancer.Worker w : b.members()) {
                    HealthReports.publish(this, b, w, now);
                    if (address.errorQuorum() > 0) {
                        HealthReports.honour(cluster, b, w, instance, address.errorQuorum(), now);
                    }
                }
            }
        } catch (StoreUnavailableException e) {
            LOG.debug("Shared state {}: health not published: {}", address, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Shared state {}: health tick failed: {}", address, e.toString());
        }
    }

    Map<String, HealthReport> published() {
        return published;
    }

    SharedState store() {
        return store;
    }

    // ------------------------------------------------------------------ views

    /** Runs {@code listener} with the generation after each applied batch of store changes (the snapshot file). */
    public void afterApply(Consumer<Gateway> listener) {
        this.afterApply = listener;
    }

    /** Hears the propagation lag of each change applied from the store, in milliseconds (writer's clock to ours). */
    public void observeLag(LongConsumer observer) {
        this.lagObserver = observer;
    }

    public StoreAddress address() {
        return address;
    }

    public SharedKeys keys() {
        return keys;
    }

    public String instance() {
        return instance;
    }

    public ClusterView cluster() {
        return cluster;
    }

    /** Whether the store answers now. */
    public boolean connected() {
        return connected;
    }

    /** Since when the state may be stale (the store unreachable, or never reached since the start); 0 when connected. */
    public long staleSinceMillis() {
        return staleSince;
    }

    /** The intent entry applied last for {@code key}, or null. */
    public StoreEntry applied(String key) {
        return applied.get(key);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        applier.shutdownNow();
        store.close();
    }

    private static String defaultInstanceName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
