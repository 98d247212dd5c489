package org.portico.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A {@code balancer://name} with its members and httpd's balancer parameters.
 *
 * @param stickyCookie the cookie that carries the session (httpd's {@code stickysession} before '|'), or empty
 * @param stickyPath the URL parameter that carries it (after '|', else the same name), or empty
 * @param separator the route separator; 0 when {@code stickysessionsep=Off} (the whole value is the route)
 * @param maxAttempts failover attempts after the first; null means httpd's default (members - 1)
 * @param timeout how long to wait for a usable member before 503 (zero: do not wait)
 * @param nonce the manager's CSRF token; null means generate one at start
 * @param affinity Portico's opt-in stickiness additions (route cookie, learned affinity)
 */
public record BalancerConfig(
        String name,
        String lbmethod,
        String stickyCookie,
        String stickyPath,
        char separator,
        boolean scolonPathDelim,
        boolean noFailover,
        Integer maxAttempts,
        Set<Integer> failOnStatus,
        boolean failOnTimeout,
        Duration timeout,
        boolean forceRecovery,
        int growth,
        String nonce,
        List<WorkerConfig> members,
        SourceLocation where,
        Affinity affinity) {

    /**
     * Beyond httpd, all off by default: re-issue the route cookie after a route change, learn which
     * member issued a session cookie that carries no route (bounded, expiring table), and eject a
     * member that fails too often (passive health; null: off).
     */
    public record Affinity(boolean routeCookie, boolean learned, int maxEntries, Duration expiry, Ejection ejection) {
        public static final Affinity OFF = new Affinity(false, false, 100_000, Duration.ofMinutes(30), null);

        public Affinity(boolean routeCookie, boolean learned, int maxEntries, Duration expiry) {
            this(routeCookie, learned, maxEntries, expiry, null);
        }
    }

    /**
     * {@code eject-after="N in WINDOW"}: N failures (no connection, or a 5xx answer) within WINDOW put a
     * member into error state for its {@code retry} time; at most half the members are ejected at once.
     */
    public record Ejection(int failures, Duration window) {
        public Ejection {
            if (failures < 1 || window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("eject-after needs at least 1 failure in a positive window");
            }
        }

        @Override
        public String toString() {
            return failures + " in " + Durations.format(window);
        }
    }

    /** A balancer without Portico's affinity additions, as httpd has it. */
    public BalancerConfig(String name, String lbmethod, String stickyCookie, String stickyPath, char separator,
                          boolean scolonPathDelim, boolean noFailover, Integer maxAttempts, Set<Integer> failOnStatus,
                          boolean failOnTimeout, Duration timeout, boolean forceRecovery, int growth, String nonce,
                          List<WorkerConfig> members, SourceLocation where) {
        this(name, lbmethod, stickyCookie, stickyPath, separator, scolonPathDelim, noFailover, maxAttempts,
                failOnStatus, failOnTimeout, timeout, forceRecovery, growth, nonce, members, where, Affinity.OFF);
    }

    public static final String SCHEME = "balancer://";

    public boolean sticky() {
        return !stickyCookie.isEmpty();
    }

    /** {@code balancer://name}. */
    public String url() {
        return SCHEME + name;
    }

    /** maxattempts as httpd resolves it once members are known. */
    public int effectiveMaxAttempts() {
        if (maxAttempts != null) {
            return maxAttempts;
        }
        return members.size() > 1 ? members.size() - 1 : 0;
    }
}
