package org.portico.proxy;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.portico.balancer.AddedMember;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerEdit;
import org.portico.balancer.BalancerOptions;
import org.portico.balancer.LbMethod;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.config.PassRule;
import org.portico.config.WorkerConfig;
import org.portico.health.HealthChecks;
import org.portico.routing.PathMapper;

/**
 * The running proxy built from one descriptor: the path mapper, the balancers with their live
 * state, and one connection pool per worker on shared I/O reactors. Its structure is fixed after construction,
 * except that the balancer-manager may add members ({@link #addMember}); closing it shuts the pools
 * down.
 */
public final class Gateway implements AutoCloseable {

    private final Descriptor descriptor;
    private final PathMapper mapper;
    private final Map<String, Balancer> balancers = new LinkedHashMap<>();
    /** One pool per URL, lower-cased. Concurrent: the manager adds members' clients while requests look clients up. */
    private final Map<String, WorkerClient> clients = new ConcurrentHashMap<>();
    /** Each balancer member's client, found by identity on the request path; filled as members are made. */
    private final Map<Worker, WorkerClient> memberClients = new ConcurrentHashMap<>();
    private final BackendReactors reactors = new BackendReactors();
    private final LbMethods lbMethods;
    private final Map<PassRule, Destination> destinations = new IdentityHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portico-scheduler");
        t.setDaemon(true);
        return t;
    });

    /** mod_proxy_hcheck: idle until {@link #startHealthChecks()}. */
    private final HealthChecks health;

    /** Where a pass rule sends requests: a balancer, or one direct worker. */
    record Destination(Balancer balancer, Worker worker, WorkerClient client) {
    }

    public Gateway(Descriptor descriptor, LbMethods lbMethods) throws DescriptorException {
        this.descriptor = descriptor;
        this.lbMethods = lbMethods;
        this.mapper = new PathMapper(descriptor.passes(), descriptor.settings().mergeSlashes());
        this.health = new HealthChecks(this::balancers, descriptor.settings(), descriptor.hcExprs(),
                descriptor.settings().hcThreads());
        try {
            for (BalancerConfig bc : descriptor.balancers()) {
                LbMethod method = lbMethods.create(bc.lbmethod());
                if (method == null) {
                    throw new DescriptorException(bc.where(), "balancer '" + bc.name() + "': unknown lbmethod '"
                            + bc.lbmethod() + "' (known: " + String.join(", ", lbMethods.names()) + ")");
                }
                Balancer b = new Balancer(bc, method, options(bc.affinity()));
                balancers.put(bc.name(), b);
                if (bc.affinity().ejection() != null) {
                    health.ejectOutliers(b, bc.affinity().ejection());
                }
                for (Worker w : b.members()) {
                    // a URL that is a member of two balancers shares one pool, as httpd shares the worker
                    memberClients.put(w, clients.computeIfAbsent(key(w.config()),
                            k -> new WorkerClient(w.config(), descriptor.settings(), reactors)));
                }
            }
            Map<String, Worker> direct = new HashMap<>();
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
                Worker w = direct.computeIfAbsent(wc.name(), n -> new Worker(wc));
                WorkerClient client = clients.computeIfAbsent(key(wc), k -> new WorkerClient(wc, descriptor.settings(), reactors));
                destinations.put(rule, new Destination(null, w, client));
            }
        } catch (DescriptorException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static BalancerOptions options(BalancerConfig.Affinity affinity) {
        BalancerOptions options = BalancerOptions.DEFAULTS.withRouteCookie(affinity.routeCookie());
        return affinity.learned() ? options.withLearnedAffinity(affinity.maxEntries(), affinity.expiry()) : options;
    }

    /** Runs delayed work of exchanges (balancer timeout waits, failover hops) off the I/O and container threads. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    private static String key(WorkerConfig wc) {
        return wc.name().toLowerCase(Locale.ROOT);
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
        return lbMethods;
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
        WorkerClient client = clients.computeIfAbsent(key(wc), k -> {
            created[0] = true;
            return new WorkerClient(wc, descriptor.settings(), reactors);
        });
        Worker added;
        try {
            added = b.apply(edit);
        } catch (RuntimeException e) {
            if (created[0]) {
                clients.remove(key(wc), client);
                client.close();
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
        health.start();
    }

    /** The health checks' live counters and last results, for the manager. */
    public HealthChecks health() {
        return health;
    }

    Destination destination(PassRule rule) {
        return destinations.get(rule);
    }

    /** The client of {@code w}, a balancer member of this gateway. */
    WorkerClient client(Worker w) {
        return memberClients.get(w);
    }

    @Override
    public void close() {
        health.close();
        scheduler.shutdownNow();
        for (WorkerClient c : clients.values()) {
            c.close();
        }
        reactors.close();
    }
}
