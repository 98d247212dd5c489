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
 * <p>Thread-safe. The settings, the member list and the lbmethod are one immutable {@link BalancerState} value
 * in one volatile field, so the getters never show a mix of two edits. Selection takes this balancer's
 * lock for the few microseconds the route lookup and the lbmethod need (httpd's balancer mutex) and
 * never sleeps or blocks while holding it; nothing else on the request path locks.
 *
 * <p>The balancer-manager changes a running balancer with {@link #apply}: one {@link BalancerEdit}
 * (a new member, balancer settings and lbmethod, one member's settings and flags) is applied under one
 * acquisition of the lock and published as one new {@link BalancerState}, so a selection sees the balancer
 * before the edit or after it, never half of it. {@link #snapshot()} reads the members' lbstatus under
 * the same lock, between two selections, for the manager's views.
 */
public final class Balancer {

    /** Written only under {@link #selection}; read anywhere. */
    private volatile BalancerState state;
    private final BalancerOptions options;
    /** Members the descriptor declared plus its {@code growth} slots (httpd's MaxMembers). */
    private final int maxMembers;
    /** Null unless learned affinity is on and the balancer is sticky. */
    private final LearnedAffinity affinity;
    private final ReentrantLock selection = new ReentrantLock();
    /** Passive health, set once at start when the balancer has it; null otherwise. */
    private volatile OutcomeListener outcomes;

    Balancer(BalancerConfig config, LbMethod method) {
        this(config, method, BalancerOptions.DEFAULTS);
    }

    public Balancer(BalancerConfig config, LbMethod method, BalancerOptions options) {
        Objects.requireNonNull(config, "config");
        this.options = Objects.requireNonNull(options, "options");
        List<Worker> ws = new ArrayList<>();
        for (WorkerConfig m : config.members()) {
            ws.add(new Worker(m, options.responseTimeDecay()));
        }
        // httpd generates the manager's nonce once when the descriptor gives none
        BalancerConfig withNonce = config.nonce() != null ? config
                : BalancerConfigs.withNonce(config, UUID.randomUUID().toString());
        this.state = BalancerState.of(withNonce, ws, Objects.requireNonNull(method, "method"), null, null);
        this.maxMembers = ws.size() + config.growth();
        this.affinity = options.learnedAffinity() && config.sticky()
                ? new LearnedAffinity(options.affinityMaxEntries(), options.affinityExpiry(), options.affinityTicker())
                : null;
    }

    /**
     * The successor of a running balancer after a descriptor reload ({@link Succession}): {@code members}
     * are kept workers (with their state) and new ones, in order; {@code config} carries the nonce; the
     * lbmethod is reset over the members when {@code resetMethod}; {@code affinity} is the running
     * balancer's learned-affinity table to keep, or null for a fresh one.
     */
    Balancer(BalancerConfig config, LbMethod method, BalancerOptions options, int maxMembers, List<Worker> members,
             boolean resetMethod, LearnedAffinity affinity) {
        this.options = Objects.requireNonNull(options, "options");
        Objects.requireNonNull(config.nonce(), "nonce");
        this.state = BalancerState.of(config, members, Objects.requireNonNull(method, "method"), null, null);
        if (resetMethod) {
            method.reset(this.state.members());
        }
        this.maxMembers = maxMembers;
        this.affinity = affinity != null ? affinity
                : options.learnedAffinity() && config.sticky()
                ? new LearnedAffinity(options.affinityMaxEntries(), options.affinityExpiry(), options.affinityTicker())
                : null;
    }

    /** The current configuration; its members are {@link #members()}' configurations, in order. */
    public BalancerConfig config() {
        return state.config();
    }

    /** The manager's CSRF token: the descriptor's {@code nonce}, else one generated at start. */
    public String nonce() {
        return state.config().nonce();
    }

    /** How many members this balancer can have: the descriptor's plus its {@code growth} slots. */
    public int maxMembers() {
        return maxMembers;
    }

    public String name() {
        return state.config().name();
    }

    /** The current members, in configuration order; an immutable list (an edit makes a new one). */
    public List<Worker> members() {
        return state.members();
    }

    public LbMethod method() {
        return state.method();
    }

    BalancerOptions options() {
        return options;
    }

    public Worker member(String name) {
        return member(state.members(), name);
    }

    private static Worker member(List<Worker> members, String name) {
        for (Worker w : members) {
            if (w.name().equalsIgnoreCase(name)) {
                return w;
            }
        }
        return null;
    }

    /**
     * The whole selection for one request: extracts the session from its URL and cookies
     * ({@link StickyRoute#find}), then chooses as httpd does for a request carrying it. The session is
     * extracted with the same settings the selection then runs with: if an edit came in between, it is
     * extracted again.
     *
     * @param rawPathAndQuery the request's path as received (%-encoded, {@code ;params} kept) and its
     *                        {@code ?query}, if any
     * @param cookieHeaders all its {@code Cookie} header values, in order (null or empty when none)
     */
    public Selection select(String rawPathAndQuery, Iterable<String> cookieHeaders, long nowMillis) {
        while (true) {
            BalancerState parsedWith = state;
            StickyRoute session = StickyRoute.find(rawPathAndQuery, cookieHeaders, parsedWith.config());
            Selection s = selectOn(parsedWith, session, nowMillis);
            if (s != null) {
                return s;
            }
        }
    }

    /**
     * httpd's proxy_balancer_pre_request for a request without a session (a balancer that is not sticky):
     * force recovery, then the lbmethod; when it finds nothing, {@code WAIT} while the balancer's
     * {@code timeout} lasts, else 503. See {@link #select(String, Iterable, long)} for the sticky flow.
     */
    public Selection selectWithoutSession(long nowMillis) {
        return selectOn(null, null, nowMillis);
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
     * Each choice counts one election. Runs on the state current under the lock; returns null, with
     * nothing counted, when that is not {@code expected} (an edit came after the session was extracted
     * with {@code expected}'s settings; null: any state will do).
     */
    private Selection selectOn(BalancerState expected, StickyRoute session, long nowMillis) {
        String route = session == null ? null : session.route();
        // the cache is concurrent: look up before taking the lock
        Worker learned = route == null && session != null && affinity != null
                ? affinity.lookup(session.value()) : null;
        Worker chosen;
        BalancerState s;
        selection.lock();
        try {
            s = state;
            if (expected != null && s != expected) {
                return null;
            }
            s.forceRecovery(nowMillis);
            if (route != null) {
                Worker w = RouteLookup.find(s.members(), route, nowMillis);
                if (w != null) {
                    return s.stick(w, session, !route.equals(w.config().params().route()));
                }
                if (s.config().noFailover() && RouteLookup.anyHas(s.members(), route)) {
                    return Selection.unavailable(s.config().url(), session,
                            "All workers are in error state for route (" + route + ")");
                }
            } else if (learned != null && s.members().contains(learned)
                    && (learned.usable() || learned.retryIfDue(nowMillis))) {
                return s.stick(learned, session, false);
            }
            chosen = s.findBest(nowMillis);
        } finally {
            selection.unlock();
        }
        return balanced(s, chosen, session, learned != null, nowMillis, BalancerState.NO_DEADLINE_YET);
    }

    /**
     * The next try of a request that got {@code WAIT}: runs the lbmethod again (as httpd's wait loop
     * does; the route is not looked up again). Returns the member, {@code WAIT} with a later
     * {@link Selection#retryAtMillis()}, or 503 once the deadline has passed.
     */
    public Selection retry(Selection waiting, long nowMillis) {
        String url = state.config().url(); // the name never changes
        if (!waiting.mustWait() || !url.equals(waiting.balancerName())) {
            throw new IllegalArgumentException("not a WAIT selection of " + url + ": " + waiting);
        }
        Worker chosen;
        BalancerState s;
        selection.lock();
        try {
            s = state;
            chosen = s.findBest(nowMillis);
        } finally {
            selection.unlock();
        }
        return balanced(s, chosen, waiting.session(), false, nowMillis, waiting.deadlineMillis());
    }

    /** A fresh failover bookkeeping for one request, with the failover rules current now. */
    public Attempts attempts() {
        return new Attempts(state.failover(), outcomes);
    }

    /** Lets {@code listener} hear how every attempt on a member ends (outlier ejection); null: nobody. */
    public void listenToOutcomes(OutcomeListener listener) {
        this.outcomes = listener;
    }

    /** The failover rules current now (those {@link #attempts()} starts with). */
    FailoverPolicy failoverPolicy() {
        return state.failover();
    }

    /**
     * With {@link BalancerOptions#routeCookie()} on: the {@code Set-Cookie} value to add to the response
     * of {@code s}, or null when none is due ({@link RouteCookie}).
     */
    public String routeCookie(Selection s) {
        return options.routeCookie() ? RouteCookie.setCookie(state.config(), s) : null;
    }

    /**
     * With {@link BalancerOptions#learnedAffinity()} on: learns from the {@code Set-Cookie} headers of a
     * response {@code member} sent which session values (carrying no route) live there. No-op otherwise.
     */
    public void learnAffinity(Worker member, Iterable<String> setCookieHeaders, long nowMillis) {
        if (affinity != null) {
            BalancerConfig c = state.config();
            affinity.learnFrom(setCookieHeaders, c.stickyCookie(), c.separator(), member, nowMillis);
        }
    }

    /** The learned affinity, or null when off (or the balancer is not sticky). */
    public LearnedAffinity affinity() {
        return affinity;
    }

    /** The lbmethod's reset, as an edit that changes the lbmethod or re-enables a member does it. */
    void resetLbMethod() {
        selection.lock();
        try {
            BalancerState s = state;
            s.method().reset(s.members());
        } finally {
            selection.unlock();
        }
    }

    /**
     * Applies one manager edit as a whole, under one acquisition of the selection lock: every check
     * first (nothing changes when one fails), then the new member joins (disabled, as the manager makes
     * it), the new settings and lbmethod are taken (a new lbmethod starts from its reset, as httpd's
     * does), and the member's configuration and flags change. As httpd does, a changed loadfactor
     * recalculates every member's lbstatus ({@code recalc_factors}) and a member that becomes usable
     * resets the lbmethod. The result is published as one new state: a selection sees all of the edit
     * or none of it. The proxy adds members through {@code Gateway}, which also opens their connection
     * pools.
     *
     * @return the member the edit added, or null when it adds none
     * @throws IllegalArgumentException when the settings rename the balancer or drop its nonce, or the
     *                                  member to change is not a member
     * @throws IllegalStateException when the member to add exists already or no growth slot is free
     */
    public Worker apply(BalancerEdit edit) {
        Objects.requireNonNull(edit, "edit");
        selection.lock();
        try {
            BalancerState s = state;
            edit.check(s.config(), s.members(), maxMembers);
            List<Worker> members = s.members();
            Worker added = null;
            if (edit.newMember() != null) {
                added = new Worker(edit.newMember(), options.responseTimeDecay());
                members = new ArrayList<>(members);
                members.add(added);
            }
            LbMethod method = edit.method() != null ? edit.method() : s.method();
            Worker w = edit.member();
            // made before anything changes, so that nothing is half-applied if it fails
            BalancerState next = BalancerState.of(edit.settings() != null ? edit.settings() : s.config(), members, method, w,
                    edit.memberConfig());
            if (edit.method() != null) {
                method.reset(members);
            }
            if (w != null) {
                boolean wasUsable = w.usable();
                WorkerConfig config = edit.memberConfig() != null ? edit.memberConfig() : w.config();
                boolean factorChanged = config.params().lbfactor() != w.config().params().lbfactor();
                w.reconfigure(config);
                edit.memberFlags().forEach(w::set);
                if (factorChanged) {
                    for (Worker m : members) {
                        m.lbstatus(m.config().params().lbfactor());
                    }
                }
                if (!wasUsable && w.usable()) {
                    method.reset(members);
                }
            }
            state = next;
            return added;
        } finally {
            selection.unlock();
        }
    }

    /**
     * Swaps in new balancer settings, and a new lbmethod when {@code newMethod} is not null: the
     * {@link #apply} of an edit that changes only these.
     */
    public void reconfigure(BalancerConfig newConfig, LbMethod newMethod) {
        apply(BalancerEdit.NONE.withSettings(Objects.requireNonNull(newConfig, "newConfig"), newMethod));
    }

    /**
     * Gives {@code member} a new configuration (same URL) and sets or clears each flag in {@code flags}:
     * the {@link #apply} of an edit that changes only this member.
     */
    public void updateMember(Worker member, WorkerConfig newConfig, Map<StatusFlag, Boolean> flags) {
        apply(BalancerEdit.NONE.withMember(member, Objects.requireNonNull(newConfig, "newConfig"), flags));
    }

    /**
     * One reading of the balancer for the manager's views: its state and every member's lbstatus, read
     * under the selection lock, so between two selections (the values add up as the lbmethod keeps them)
     * and never inside an edit.
     */
    public BalancerSnapshot snapshot() {
        selection.lock();
        try {
            BalancerState s = state;
            List<Long> lbstatus = new ArrayList<>(s.members().size());
            for (Worker w : s.members()) {
                lbstatus.add(w.lbstatus());
            }
            return new BalancerSnapshot(s.config(), s.method().name(), s.members(), lbstatus);
        } finally {
            selection.unlock();
        }
    }

    /**
     * Outside the lock: the result of an lbmethod choice on {@code s}; a member the lbmethod chose for a
     * session learned affinity had placed elsewhere ({@code relearn}) is where that session lives now.
     */
    private Selection balanced(BalancerState s, Worker chosen, StickyRoute session, boolean relearn, long nowMillis,
                               long deadline) {
        if (chosen != null && relearn) {
            // the member that held this session could not serve: it lives on where it went now
            affinity.learn(session.value(), chosen);
        }
        return s.afterLbMethod(chosen, session, nowMillis, deadline);
    }
}
