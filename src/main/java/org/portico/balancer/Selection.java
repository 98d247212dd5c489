package org.portico.balancer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of choosing a member for one request (spec §4.1), with what httpd exports about it.
 * Immutable. Exactly one of {@link #chosen()}, {@link #mustWait()} and {@link #unavailable()} holds.
 *
 * <ul>
 *   <li>{@code CHOSEN}: send the request to {@link #worker()}. The caller then calls
 *       {@link Worker#requestStarted()} (selection never touches {@code busy}).</li>
 *   <li>{@code WAIT}: nothing can serve now, but the balancer's {@code timeout} has not run out. Call
 *       {@link Balancer#retry(Selection, long)} at {@link #retryAtMillis()} — from a timer, so that no
 *       servlet thread sleeps.</li>
 *   <li>{@code UNAVAILABLE}: answer 503; {@link #reason()} is the line to log.</li>
 * </ul>
 */
public final class Selection {

    /** What the caller has to do next. */
    private enum Outcome { CHOSEN, WAIT, UNAVAILABLE }

    private final Outcome outcome;
    private final String balancerUrl;
    private final Worker worker;
    private final StickyRoute session;
    private final boolean routeChanged;
    private final String reason;
    private final long retryAtMillis;
    private final long deadlineMillis;

    private Selection(Outcome outcome, String balancerUrl, Worker worker, StickyRoute session, boolean routeChanged,
                      String reason, long retryAtMillis, long deadlineMillis) {
        this.outcome = outcome;
        this.balancerUrl = balancerUrl;
        this.worker = worker;
        this.session = session;
        this.routeChanged = routeChanged;
        this.reason = reason;
        this.retryAtMillis = retryAtMillis;
        this.deadlineMillis = deadlineMillis;
    }

    static Selection chosen(String balancerUrl, Worker worker, StickyRoute session, boolean routeChanged) {
        return new Selection(Outcome.CHOSEN, balancerUrl, worker, session, routeChanged, null, 0, 0);
    }

    static Selection waiting(String balancerUrl, StickyRoute session, String reason, long retryAtMillis,
                             long deadlineMillis) {
        return new Selection(Outcome.WAIT, balancerUrl, null, session, false, reason, retryAtMillis, deadlineMillis);
    }

    static Selection unavailable(String balancerUrl, StickyRoute session, String reason) {
        return new Selection(Outcome.UNAVAILABLE, balancerUrl, null, session, false, reason, 0, 0);
    }

    public boolean chosen() {
        return outcome == Outcome.CHOSEN;
    }

    public boolean mustWait() {
        return outcome == Outcome.WAIT;
    }

    public boolean unavailable() {
        return outcome == Outcome.UNAVAILABLE;
    }

    /** The chosen member; null unless {@link #chosen()}. */
    public Worker worker() {
        return worker;
    }

    /** BALANCER_NAME: {@code balancer://name}. */
    public String balancerName() {
        return balancerUrl;
    }

    /** The session the request carried, with or without a route; null when none (or not sticky). */
    public StickyRoute session() {
        return session;
    }

    /** BALANCER_SESSION_STICKY: the name the route was found under; null when the request had no route. */
    String stickyName() {
        return session != null && session.hasRoute() ? session.name() : null;
    }

    /** BALANCER_SESSION_ROUTE: the route the request asked for; null when it had none. */
    public String sessionRoute() {
        return session != null ? session.route() : null;
    }

    /**
     * BALANCER_ROUTE_CHANGED: the request did not go where its route said — the balancer is sticky and
     * the lbmethod chose, or a route was redirected to a member with another route.
     */
    public boolean routeChanged() {
        return routeChanged;
    }

    /** Why nothing was chosen ("All workers are in error state", ...); null when a member was. */
    public String reason() {
        return reason;
    }

    /** When to call {@link Balancer#retry} next; meaningful only for {@code WAIT}. */
    public long retryAtMillis() {
        return retryAtMillis;
    }

    /** When the balancer's {@code timeout} runs out for this request; meaningful only for {@code WAIT}. */
    public long deadlineMillis() {
        return deadlineMillis;
    }

    /**
     * The variables httpd puts in the request environment for this choice (for headers, logs and
     * rewriting), in httpd's order. Empty unless {@link #chosen()}.
     */
    public Map<String, String> environment() {
        if (!chosen()) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (routeChanged) {
            env.put("BALANCER_ROUTE_CHANGED", "1");
        }
        env.put("BALANCER_NAME", balancerUrl);
        env.put("BALANCER_WORKER_NAME", worker.name());
        env.put("BALANCER_WORKER_ROUTE", worker.config().params().route());
        if (sessionRoute() != null) {
            env.put("BALANCER_SESSION_STICKY", stickyName());
            env.put("BALANCER_SESSION_ROUTE", sessionRoute());
        }
        return Collections.unmodifiableMap(env);
    }

    @Override
    public String toString() {
        return switch (outcome) {
            case CHOSEN -> balancerUrl + " -> " + worker + (routeChanged ? " (route changed)" : "");
            case WAIT -> balancerUrl + ": wait until " + retryAtMillis + " (" + reason + ")";
            case UNAVAILABLE -> balancerUrl + ": 503 (" + reason + ")";
        };
    }
}
