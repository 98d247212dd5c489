package org.portico.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.portico.config.BalancerConfig;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;

/**
 * A {@code balancer://} at run time: its members' live state and the lbmethod that chooses among
 * them, with httpd's request flow around it (spec §4.1): force recovery, the sticky route, nofailover,
 * the lbmethod, the wait for a member.
 *
 * <p>For one request the proxy calls {@link #select(String, Iterable, long)}, then
 * {@link Worker#requestStarted()} on the chosen member (selection never touches {@code busy}; the
 * exchange is the one place that counts requests in flight). On a failure it asks {@link #attempts()}
 * whether to select again; on the response it may add {@link #routeCookie} and feed
 * {@link #learnAffinity}. Every method takes the time, so tests pass it explicitly.
 *
 * <p>Thread-safe. Selection takes this balancer's lock for the few microseconds the route lookup and
 * the lbmethod need (httpd's balancer mutex) and never sleeps or blocks while holding it; nothing else
 * on the request path locks.
 *
 * <p>The balancer-manager changes a running balancer with {@link #reconfigure}, {@link #updateMember} and
 * {@link #addMember}: each makes new immutable values (config, member list, lbmethod) and swaps them in
 * under the same lock, so a selection sees either the old values or the new ones, never a mix.
 */
public final class Balancer {

    private static final long NO_DEADLINE_YET = Long.MIN_VALUE;

    private volatile BalancerConfig config;
    private volatile List<Worker> members;
    private volatile LbMethod method;
    private final BalancerOptions options;
    private volatile FailoverPolicy failover;
    /** Members the descriptor declared plus its {@code growth} slots (httpd's MaxMembers). */
    private final int maxMembers;
    /** Null unless learned affinity is on and the balancer is sticky. */
    private final LearnedAffinity affinity;
    private final ReentrantLock selection = new ReentrantLock();

    public Balancer(BalancerConfig config, LbMethod method) {
        this(config, method, BalancerOptions.DEFAULTS);
    }

    public Balancer(BalancerConfig config, LbMethod method, BalancerOptions options) {
        Objects.requireNonNull(config, "config");
        // httpd generates the manager's nonce once when the descriptor gives none
        this.config = config.nonce() != null ? config : BalancerConfigs.withNonce(config, UUID.randomUUID().toString());
        this.method = Objects.requireNonNull(method, "method");
        this.options = Objects.requireNonNull(options, "options");
        List<Worker> ws = new ArrayList<>();
        for (WorkerConfig m : config.members()) {
            ws.add(new Worker(m, options.responseTimeDecay()));
        }
        this.members = List.copyOf(ws);
        this.maxMembers = ws.size() + config.growth();
        this.failover = FailoverPolicy.of(config);
        this.affinity = options.learnedAffinity() && config.sticky()
                ? new LearnedAffinity(options.affinityMaxEntries(), options.affinityExpiry(), options.affinityTicker())
                : null;
    }

    /** The current configuration; its members are {@link #members()}' configurations, in order. */
    public BalancerConfig config() {
        return config;
    }

    /** The manager's CSRF token: the descriptor's {@code nonce}, else one generated at start. */
    public String nonce() {
        return config.nonce();
    }

    /** How many members this balancer can have: the descriptor's plus its {@code growth} slots. */
    public int maxMembers() {
        return maxMembers;
    }

    public String name() {
        return config.name();
    }

    public List<Worker> members() {
        return members;
    }

    public LbMethod method() {
        return method;
    }

    public BalancerOptions options() {
        return options;
    }

    public Worker member(String name) {
        for (Worker w : members) {
            if (w.name().equalsIgnoreCase(name)) {
                return w;
            }
        }
        return null;
    }

    /**
     * Chooses a member for a request that carries no session, or returns null when none can serve
     * (the caller answers 503). Does not wait for the balancer's {@code timeout}; see
     * {@link #select(StickyRoute, long)} for the whole flow.
     */
    public Worker select(long nowMillis) {
        Selection s = select((StickyRoute) null, nowMillis);
        return s.chosen() ? s.worker() : null;
    }

    /**
     * The whole selection for one request: extracts the session from its URL and cookies
     * ({@link StickyRoute#find}), then {@link #select(StickyRoute, long)}.
     *
     * @param rawPathAndQuery the request's path as received (%-encoded, {@code ;params} kept) and its
     *                        {@code ?query}, if any
     * @param cookieHeaders all its {@code Cookie} header values, in order (null or empty when none)
     */
    public Selection select(String rawPathAndQuery, Iterable<String> cookieHeaders, long nowMillis) {
        return select(StickyRoute.find(rawPathAndQuery, cookieHeaders, config), nowMillis);
    }

    /**
     * httpd's proxy_balancer_pre_request for a request carrying {@code session} (null when none):
     * <ol>
     *   <li>force recovery: when every member is in error and {@code forcerecovery} is on, all are retried;</li>
     *   <li>with a route, the member it names ({@link RouteLookup}: non-standby then standby, retry check,
     *       redirect), accounted with the lbmethod's {@link LbMethod#updateLbStatus};</li>
     *   <li>with a route no usable member serves, {@code nofailover} and a member with that route: 503;</li>
     *   <li>with learned affinity, a session value without a route goes to the member that issued it;</li>
     *   <li>otherwise the lbmethod chooses (route changed, if the balancer is sticky); when it finds
     *       nothing the result is {@code WAIT} while the balancer's {@code timeout} lasts, else 503.</li>
     * </ol>
     * Each choice counts one election. The caller then calls {@link Worker#requestStarted()}.
     */
    public Selection select(StickyRoute session, long nowMillis) {
        String route = session == null ? null : session.route();
        // the cache is concurrent: look up before taking the lock
        Worker learned = route == null && session != null && affinity != null
                ? affinity.lookup(session.value()) : null;
        Worker chosen;
        selection.lock();
        try {
            forceRecovery(nowMillis);
            if (route != null) {
                Worker w = RouteLookup.find(members, route, nowMillis);
                if (w != null) {
                    return stuck(w, session, !route.equals(w.config().params().route()));
                }
                if (config.noFailover() && RouteLookup.anyHas(members, route)) {
                    return Selection.unavailable(config.url(), session,
                            "All workers are in error state for route (" + route + ")");
                }
            } else if (learned != null && members.contains(learned)
                    && (learned.usable() || learned.retryIfDue(nowMillis))) {
                return stuck(learned, session, false);
            }
            chosen = findBest(nowMillis);
        } finally {
            selection.unlock();
        }
        return balanced(chosen, session, learned != null, nowMillis, NO_DEADLINE_YET);
    }

    /**
     * The next try of a request that got {@code WAIT}: runs the lbmethod again (as httpd's wait loop
     * does; the route is not looked up again). Returns the member, {@code WAIT} with a later
     * {@link Selection#retryAtMillis()}, or 503 once the deadline has passed.
     */
    public Selection retry(Selection waiting, long nowMillis) {
        if (!waiting.mustWait() || !config.url().equals(waiting.balancerName())) {
            throw new IllegalArgumentException("not a WAIT selection of " + config.url() + ": " + waiting);
        }
        Worker chosen;
        selection.lock();
        try {
            chosen = findBest(nowMillis);
        } finally {
            selection.unlock();
        }
        return balanced(chosen, waiting.session(), false, nowMillis, waiting.deadlineMillis());
    }

    /** A fresh failover bookkeeping for one request. */
    public Attempts attempts() {
        return new Attempts(failover);
    }

    public FailoverPolicy failoverPolicy() {
        return failover;
    }

    /**
     * With {@link BalancerOptions#routeCookie()} on: the {@code Set-Cookie} value to add to the response
     * of {@code s}, or null when none is due ({@link RouteCookie}).
     */
    public String routeCookie(Selection s) {
        return options.routeCookie() ? RouteCookie.setCookie(config, s) : null;
    }

    /**
     * With {@link BalancerOptions#learnedAffinity()} on: learns from the {@code Set-Cookie} headers of a
     * response {@code member} sent which session values (carrying no route) live there. No-op otherwise.
     */
    public void learnAffinity(Worker member, Iterable<String> setCookieHeaders, long nowMillis) {
        if (affinity != null) {
            affinity.learnFrom(setCookieHeaders, config.stickyCookie(), config.separator(), member, nowMillis);
        }
    }

    /** The learned affinity, or null when off (or the balancer is not sticky). */
    public LearnedAffinity affinity() {
        return affinity;
    }

    /** The lbmethod's reset (the manager does this when the method changes or a member is re-enabled). */
    public void resetLbMethod() {
        selection.lock();
        try {
            method.reset(members);
        } finally {
            selection.unlock();
        }
    }

    /**
     * Swaps in new balancer settings (the manager's balancer edit), and a new lbmethod when
     * {@code newMethod} is not null, which then starts from its reset as httpd's does. The members are
     * this balancer's own: {@code newConfig.members()} is ignored, and its nonce must stay non-null.
     */
    public void reconfigure(BalancerConfig newConfig, LbMethod newMethod) {
        Objects.requireNonNull(newConfig, "newConfig");
        if (!newConfig.name().equals(config.name())) {
            throw new IllegalArgumentException("cannot rename balancer://" + config.name() + " to " + newConfig.name());
        }
        if (newConfig.nonce() == null) {
            throw new IllegalArgumentException("balancer://" + config.name() + ": the nonce cannot be removed");
        }
        selection.lock();
        try {
            swapConfig(newConfig, members);
            if (newMethod != null) {
                newMethod.reset(members);
                method = newMethod;
            }
        } finally {
            selection.unlock();
        }
    }

    /**
     * The manager's worker edit, applied at once: {@code newConfig} replaces the member's configuration
     * (same URL), then each flag in {@code flags} is set or cleared. As httpd does, a changed loadfactor
     * recalculates every member's lbstatus ({@code recalc_factors}), and a member that becomes usable
     * resets the lbmethod.
     *
     * @param flags the status flags to change; {@link StatusFlag#IN_ERROR} is refused, as in httpd
     */
    public void updateMember(Worker member, WorkerConfig newConfig, Map<StatusFlag, Boolean> flags) {
        Objects.requireNonNull(newConfig, "newConfig");
        if (flags.containsKey(StatusFlag.IN_ERROR)) {
            throw new IllegalArgumentException("the error state (E) is not edited by hand");
        }
        selection.lock();
        try {
            List<Worker> current = members;
            if (!current.contains(member)) {
                throw new IllegalArgumentException(member.name() + " is not a member of " + config.url());
            }
            boolean wasUsable = member.usable();
            boolean factorChanged = newConfig.params().lbfactor() != member.config().params().lbfactor();
            member.reconfigure(newConfig);
            flags.forEach(member::set);
            swapConfig(config, current);
            if (factorChanged) {
                for (Worker w : current) {
                    w.lbstatus = w.config().params().lbfactor();
                }
            }
            if (!wasUsable && member.usable()) {
                method.reset(current);
            }
        } finally {
            selection.unlock();
        }
    }

    /**
     * Adds a member at run time into a free growth slot (the manager's {@code b_nwrkr}). It takes the
     * status of {@code memberConfig}, which the manager makes disabled, as httpd does. The proxy calls
     * this through {@code Gateway.addMember}, which also opens the member's connection pool.
     *
     * @throws IllegalStateException when the member exists already or no growth slot is free
     */
    public Worker addMember(WorkerConfig memberConfig) {
        selection.lock();
        try {
            List<Worker> current = members;
            if (member(memberConfig.name()) != null) {
                throw new IllegalStateException(memberConfig.name() + " is already a member of " + config.url());
            }
            if (current.size() >= maxMembers) {
                throw new IllegalStateException(config.url() + " has no free growth slot (MaxMembers " + maxMembers
                        + ", " + current.size() + " used)");
            }
            Worker w = new Worker(memberConfig, options.responseTimeDecay());
            List<Worker> grown = new ArrayList<>(current);
            grown.add(w);
            swapConfig(config, List.copyOf(grown));
            return w;
        } finally {
            selection.unlock();
        }
    }

    /** Under the lock: the config with {@code list}'s member configurations, the list, and the failover rules. */
    private void swapConfig(BalancerConfig base, List<Worker> list) {
        List<WorkerConfig> configs = new ArrayList<>(list.size());
        for (Worker w : list) {
            configs.add(w.config());
        }
        BalancerConfig next = BalancerConfigs.withMembers(base, List.copyOf(configs));
        members = list;
        config = next;
        failover = FailoverPolicy.of(next);
    }

    /** A member chosen by route or learned affinity: httpd's default lbstatus update, one election. */
    private Selection stuck(Worker w, StickyRoute session, boolean routeChanged) {
        method.updateLbStatus(members, w);
        w.elected();
        return Selection.chosen(config.url(), w, session, routeChanged);
    }

    /** The lbmethod's choice, counted as an election; null when it found none. Under the lock. */
    private Worker findBest(long nowMillis) {
        Worker w = method.find(members, nowMillis);
        if (w != null) {
            w.elected();
        }
        return w;
    }

    /**
     * Outside the lock: the result of an lbmethod choice, or of its failure (wait or 503).
     *
     * @param deadline when the wait ends; {@link #NO_DEADLINE_YET} on the first try, which starts it
     */
    private Selection balanced(Worker chosen, StickyRoute session, boolean relearn, long nowMillis, long deadline) {
        if (chosen != null) {
            if (relearn) {
                // the member that held this session could not serve: it lives on where it went now
                affinity.learn(session.value(), chosen);
            }
            return Selection.chosen(config.url(), chosen, session, config.sticky());
        }
        String reason = members.isEmpty() ? "No workers in balancer" : "All workers are in error state";
        long timeout = config.timeout() == null ? 0 : config.timeout().toMillis();
        if (timeout <= 0) {
            return Selection.unavailable(config.url(), session, reason);
        }
        if (deadline == NO_DEADLINE_YET) {
            deadline = nowMillis + timeout;
        }
        if (nowMillis >= deadline) {
            return Selection.unavailable(config.url(), session, reason);
        }
        long step = Math.max(1, timeout / 100);
        return Selection.waiting(config.url(), session, reason, Math.min(nowMillis + step, deadline), deadline);
    }

    /**
     * httpd's force_recovery: members are retried in order until one is found not in error; when none
     * is and {@code forcerecovery} is on, every member leaves the error state. A member that is D, S or C
     * but not E counts as "not in error". Under the lock.
     */
    private void forceRecovery(long nowMillis) {
        for (Worker w : members) {
            if (!w.has(StatusFlag.IN_ERROR)) {
                return;
            }
            w.retryIfDue(nowMillis);
            if (!w.has(StatusFlag.IN_ERROR)) {
                return;
            }
        }
        if (config.forceRecovery()) {
            for (Worker w : members) {
                w.forceRecovery();
            }
        }
    }
}
