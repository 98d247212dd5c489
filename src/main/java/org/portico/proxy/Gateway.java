package org.portico.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.portico.backend.BackendChannel;
import org.portico.backend.BackendProtocols;
import org.portico.backend.WarmUp;
import org.portico.balancer.AddedMember;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerEdit;
import org.portico.balancer.BalancerOptions;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Succession;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.config.PassRule;
import org.portico.config.WorkerConfig;
import org.portico.health.HealthChecks;
import org.portico.routing.PathMapper;

/**
 * One generation of the running proxy, built from one descriptor: the path mapper, the balancers with their
 * live state, and the connection pool of each worker, on I/O reactors, a scheduler and health checks that all
 * generations share. Its structure is fixed after construction, except that the balancer-manager may add
 * members ({@link #addMember}). A descriptor reload builds the next generation with {@link #next}, which keeps
 * the balancers, members and pools that did not change ({@link Succession}); {@link LiveGateway} swaps it in.
 * A generation counts the requests that run on it, so that once it is retired and its last request ended it
 * lets go of its pools (a pool no newer generation holds closes then). {@link #close} shuts the whole proxy
 * down, every generation with it.
 */
public final class Gateway implements AutoCloseable {

    private final SharedRuntime shared;
    private final long generation;
    private final Descriptor descriptor;
    private final PathMapper mapper;
    private final Map<String, Balancer> balancers = new LinkedHashMap<>();
    /** One pool per URL, lower-cased. Concurrent: the manager adds members' clients while requests look clients up. */
    private final Map<String, BackendChannel> clients = new ConcurrentHashMap<>();
    /** Each balancer member's client, found by identity on the request path; filled as members are made. */
    private final Map<Worker, BackendChannel> memberClients = new ConcurrentHashMap<>();
    private final Map<String, Worker> direct = new HashMap<>();
    private final Map<PassRule, Destination> destinations = new IdentityHashMap<>();
    /** What the reload that made this generation changes on kept members when it goes live. */
    private final List<Succession.Next> successions = new ArrayList<>();
    /** The balancers this generation made (not kept from the previous one), for outlier ejection. */
    private final List<Balancer> made = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retired;
    private final AtomicBoolean released = new AtomicBoolean();

    /** Hears every exchange end (monitoring); replaced, never chained. */
    private volatile ExchangeListener exchangeListener = ExchangeListener.NONE;

    /** Where a pass rule sends requests: a balancer, or one direct worker. */
    record Destination(Balancer balancer, Worker worker, BackendChannel client) {
    }

    /** The first generation of a new proxy, speaking to backends through the protocols found on the class path. */
    public Gateway(Descriptor descriptor, LbMethods lbMethods) throws DescriptorException {
        this(descriptor, lbMethods, new BackendProtocols());
    }

    /** The first generation of a new proxy, speaking to backends through {@code protocols}, which it closes. */
    public Gateway(Descriptor descriptor, LbMethods lbMethods, BackendProtocols protocols) throws DescriptorException {
        this(descriptor, new SharedRuntime(descriptor, lbMethods, protocols), null, 1);
        activate();
    }

    private Gateway(Descriptor descriptor, SharedRuntime shared, Gateway previous, long generation)
            throws DescriptorException {
        this.shared = shared;
        this.generation = generation;
        this.descriptor = descriptor;
        this.mapper = new PathMapper(descriptor.passes(), descriptor.settings().mergeSlashes());
        try {
            for (BalancerConfig bc : descriptor.balancers()) {
                if (shared.lbMethods.create(bc.lbmethod()) == null) {
                    throw new DescriptorException(bc.where(), "balancer '" + bc.name() + "': unknown lbmethod '"
                            + bc.lbmethod() + "' (known: " + String.join(", ", shared.lbMethods.names()) + ")");
                }
            }
            for (BalancerConfig bc : descriptor.balancers()) {
                BalancerConfig before = previous == null ? null : previous.descriptor.balancer(bc.name()).orElse(null);
                Balancer running = previous == null ? null : previous.balancer(bc.name());
                Succession.Next next = Succession.next(before, running, bc, shared.lbMethods, options(bc.affinity()));
                Balancer b = next.balancer();
                successions.add(next);
                if (b != running) {
                    made.add(b);
                }
                balancers.put(bc.name(), b);
                for (Worker w : b.members()) {
                    // a URL that is a member of two balancers shares one pool, as httpd shares the worker
                    memberClients.put(w, client(w.config(), previous));
                }
            }
            for (PassRule rule : descriptor.passes()) {
                if (rule.exclude()) {
                    continue;
                }
                if (rule.targetsBalancer()) {
                    destinations.put(rule, new Destination(balancers.get(rule.target().balancer()), null, null));
                    continue;
                }
                WorkerConfig wc = descriptor.workerFor(rule.target().url()).orElseThrow(() ->
                        new IllegalStateException("no worker for " + rule.target()));
                Worker w = direct.computeIfAbsent(wc.name(), n -> directWorker(wc, previous));
                destinations.put(rule, new Destination(null, w, client(wc, previous)));
            }
        } catch (DescriptorException | RuntimeException e) {
            releasePools();
            if (previous == null) {
                shared.close();
            }
            throw e;
        }
    }

    /**
     * The next generation, built from {@code next} and keeping this one's balancers, members and pools where
     * {@link Succession}'s rule says they did not change. Nothing running changes until {@link LiveGateway}
     * activates it.
     *
     * @throws DescriptorException when {@code next} cannot run (an unknown lbmethod); this generation goes on
     */
    Gateway next(Descriptor next) throws DescriptorException {
        return new Gateway(next, shared, this, generation + 1);
    }

    /**
     * Makes this generation the one that counts: the reload's changes to kept members are applied, outlier
     * ejection watches the balancers it made, and the health checks follow its members.
     */
    void activate() {
        for (Succession.Next n : successions) {
            n.commit();
        }
        successions.clear();
        for (Balancer b : made) {
            BalancerConfig.Ejection ejection = b.config().affinity().ejection();
            if (ejection != null) {
                shared.health.ejectOutliers(b, ejection);
            }
        }
        List<Balancer> live = balancers();
        shared.health.reloaded(descriptor.settings(), descriptor.hcExprs(), live);
        shared.publish(live);
    }

    /** The pool for {@code wc} in this generation: the previous generation's when its spec is unchanged. */
    private BackendChannel client(WorkerConfig wc, Gateway previous) {
        return clients.computeIfAbsent(key(wc), k -> {
            BackendChannel old = previous == null ? null : previous.clients.get(k);
            BackendChannel c = old != null && old.sameAs(wc, descriptor.settings()) ? old
                    : shared.protocols.open(wc, descriptor.settings());
            shared.retain(c);
            return c;
        });
    }

    private static Worker directWorker(WorkerConfig wc, Gateway previous) {
        Worker old = previous == null ? null : previous.direct.get(wc.name());
        if (old != null && old.config().uri().equals(wc.uri()) && old.config().params().equals(wc.params())) {
            return old; // counters and error state go on
        }
        return new Worker(wc);
    }

    private static BalancerOptions options(BalancerConfig.Affinity affinity) {
        BalancerOptions options = BalancerOptions.DEFAULTS.withRouteCookie(affinity.routeCookie());
        return affinity.learned() ? options.withLearnedAffinity(affinity.maxEntries(), affinity.expiry()) : options;
    }

    /** What the upgrade tunnels of every generation share. */
    org.portico.tunnel.Tunnels tunnels() {
        return shared.tunnels;
    }

    /** Runs delayed work of exchanges (balancer timeout waits, failover hops) off the I/O and container threads. */
    ScheduledExecutorService scheduler() {
        return shared.scheduler;
    }

    private static String key(WorkerConfig wc) {
        return wc.name().toLowerCase(Locale.ROOT);
    }

    /** 1 for the descriptor the proxy started with, one more for each reload. */
    public long generation() {
        return generation;
    }

    public Descriptor descriptor() {
        return descriptor;
    }

    public PathMapper mapper() {
        return mapper;
    }

    public List<Balancer> balancers() {
        return List.copyOf(balancers.values());
    }

    public Balancer balancer(String name) {
        return balancers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The lbmethods this gateway's balancers can use (the manager offers them all). */
    public LbMethods lbMethods() {
        return shared.lbMethods;
    }

    /**
     * Adds a member to a balancer at run time (the manager's {@code b_nwrkr}): disabled, with httpd's
     * defaults, in a free growth slot, with its own connection pool (or the pool already open for that
     * URL).
     *
     * @throws IllegalArgumentException when there is no such balancer or the URL is not a member URL
     * @throws IllegalStateException when the member exists already or no growth slot is free
     */
    public Worker addMember(String balancerName, String url) {
        Balancer b = balancer(balancerName);
        if (b == null) {
            throw new IllegalArgumentException("no balancer named '" + balancerName + "'");
        }
        return apply(b, BalancerEdit.NONE.withNewMember(AddedMember.config(url)));
    }

    /**
     * Applies one manager edit to {@code b} as a whole ({@link Balancer#apply}), first opening the
     * connection pool of the member it adds, if any (or reusing the pool already open for that URL),
     * so that the member has its pool from the moment a selection can see it. A pool opened here is
     * closed again when the balancer refuses the edit.
     *
     * @return the member the edit added, or null
     */
    public Worker apply(Balancer b, BalancerEdit edit) {
        WorkerConfig wc = edit.newMember();
        if (wc == null || b.member(wc.name()) != null || b.members().size() >= b.maxMembers()) {
            return b.apply(edit); // adds nothing, or throws saying why it cannot
        }
        boolean[] created = new boolean[1];
        BackendChannel client = clients.computeIfAbsent(key(wc), k -> {
            created[0] = true;
            BackendChannel c = shared.protocols.open(wc, descriptor.settings());
            shared.retain(c);
            return c;
        });
        Worker added;
        try {
            added = b.apply(edit);
        } catch (RuntimeException e) {
            if (created[0] && clients.remove(key(wc), client)) {
                shared.release(client);
            }
            throw e;
        }
        // a member joins disabled: no selection can choose it before a later edit, by which time it has its client
        memberClients.put(added, client);
        return added;
    }

    /**
     * Starts the balancer members' health checks (mod_proxy_hcheck) on their own threads. Called once
     * the gateway is ready for requests; {@link #close} stops them.
     */
    public void startHealthChecks() {
        shared.health.start();
    }

    /**
     * Runs a few loopback exchanges through a channel like the first HTTP member's (or worker's), so that the
     * first real request does not pay for a cold client ({@link WarmUp}). Called once, before requests come.
     */
    public void warmUp() {
        List<WorkerConfig> candidates = new ArrayList<>();
        descriptor.balancers().forEach(b -> candidates.addAll(b.members()));
        candidates.addAll(descriptor.workers());
        WarmUp.run(shared.protocols, candidates, descriptor.settings());
    }

    /** The health checks' live counters and last results, for the manager. */
    public HealthChecks health() {
        return shared.health;
    }

    /** Lets {@code listener} hear how every exchange with a worker ends (metrics); null: nobody. */
    public void listenToExchanges(ExchangeListener listener) {
        this.exchangeListener = listener == null ? ExchangeListener.NONE : listener;
    }

    ExchangeListener exchangeListener() {
        return exchangeListener;
    }

    Destination destination(PassRule rule) {
        return destinations.get(rule);
    }

    /** The client of {@code w}, a balancer member of this gateway. */
    BackendChannel client(Worker w) {
        return memberClients.get(w);
    }

    /** A request starts on this generation; pair with {@link #exit()}. */
    void enter() {
        inFlight.incrementAndGet();
    }

    /** A request of this generation ended; the last one of a retired generation lets go of its pools. */
    void exit() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            releasePools();
        }
    }

    /** A newer generation took over: once no request runs here any more, this one lets go of its pools. */
    void retire() {
        retired = true;
        if (inFlight.get() == 0) {
            releasePools();
        }
    }

    /** The requests running on this generation now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether this generation let go of its pools (retired, and its last request ended). */
    boolean drained() {
        return released.get();
    }

    /** The pools open across all generations. */
    int openPools() {
        return shared.openPools();
    }

    private void releasePools() {
        if (released.compareAndSet(false, true)) {
            for (BackendChannel c : clients.values()) {
                shared.release(c);
            }
        }
    }

    /** Shuts the proxy down: health checks, scheduler, every pool of every generation, the reactors. */
    @Override
    public void close() {
        shared.close();
    }
}
