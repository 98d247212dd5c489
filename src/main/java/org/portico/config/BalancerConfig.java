package org.portico.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A {@code balancer://name} with its members and httpd's balancer parameters. Made by {@link #custom} or
 * changed by {@link #copy}, never by listing every component.
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
        /** Off, with the schema's defaults for the table's size and expiry. */
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
    }

    public boolean sticky() {
        return !stickyCookie.isEmpty();
    }

    /** {@code balancer://name}. */
    public String url() {
        return BackendTarget.BALANCER_SCHEME + name;
    }

    /** maxattempts as httpd resolves it once members are known. */
    public int effectiveMaxAttempts() {
        if (maxAttempts != null) {
            return maxAttempts;
        }
        return members.size() > 1 ? members.size() - 1 : 0;
    }

    /**
     * A builder for the balancer {@code name} with httpd's defaults (byrequests, no sticky session,
     * forcerecovery on, no members), in the manner of HttpCore5's {@code ConnectionConfig.custom()}.
     */
    public static Builder custom(String name) {
        return new Builder(name);
    }

    /** A builder holding the values of {@code config}, to make a copy with some of them changed. */
    public static Builder copy(BalancerConfig config) {
        return new Builder(config.name).apply(config);
    }

    /** Builds {@link BalancerConfig}; starts from httpd's defaults. Not thread-safe; the result is immutable. */
    public static final class Builder {
        private String name;
        private String lbmethod = "byrequests";
        private String stickyCookie = "";
        private String stickyPath = "";
        private char separator = '.';
        private boolean scolonPathDelim;
        private boolean noFailover;
        private Integer maxAttempts;
        private Set<Integer> failOnStatus = Set.of();
        private boolean failOnTimeout;
        private Duration timeout = Duration.ZERO;
        private boolean forceRecovery = true;
        private int growth;
        private String nonce;
        private List<WorkerConfig> members = List.of();
        private SourceLocation where = SourceLocation.unknown("(built)");
        private Affinity affinity = Affinity.OFF;

        private Builder(String name) {
            this.name = name;
        }

        private Builder apply(BalancerConfig c) {
            lbmethod = c.lbmethod;
            stickyCookie = c.stickyCookie;
            stickyPath = c.stickyPath;
            separator = c.separator;
            scolonPathDelim = c.scolonPathDelim;
            noFailover = c.noFailover;
            maxAttempts = c.maxAttempts;
            failOnStatus = c.failOnStatus;
            failOnTimeout = c.failOnTimeout;
            timeout = c.timeout;
            forceRecovery = c.forceRecovery;
            growth = c.growth;
            nonce = c.nonce;
            members = c.members;
            where = c.where;
            affinity = c.affinity;
            return this;
        }

        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        public Builder setLbmethod(String lbmethod) {
            this.lbmethod = lbmethod;
            return this;
        }

        public Builder setStickyCookie(String stickyCookie) {
            this.stickyCookie = stickyCookie;
            return this;
        }

        public Builder setStickyPath(String stickyPath) {
            this.stickyPath = stickyPath;
            return this;
        }

        public Builder setSeparator(char separator) {
            this.separator = separator;
            return this;
        }

        public Builder setScolonPathDelim(boolean scolonPathDelim) {
            this.scolonPathDelim = scolonPathDelim;
            return this;
        }

        public Builder setNoFailover(boolean noFailover) {
            this.noFailover = noFailover;
            return this;
        }

        public Builder setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder setFailOnStatus(Set<Integer> failOnStatus) {
            this.failOnStatus = failOnStatus;
            return this;
        }

        public Builder setFailOnTimeout(boolean failOnTimeout) {
            this.failOnTimeout = failOnTimeout;
            return this;
        }

        public Builder setTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder setForceRecovery(boolean forceRecovery) {
            this.forceRecovery = forceRecovery;
            return this;
        }

        public Builder setGrowth(int growth) {
            this.growth = growth;
            return this;
        }

        public Builder setNonce(String nonce) {
            this.nonce = nonce;
            return this;
        }

        public Builder setMembers(List<WorkerConfig> members) {
            this.members = members;
            return this;
        }

        public Builder setWhere(SourceLocation where) {
            this.where = where;
            return this;
        }

        public Builder setAffinity(Affinity affinity) {
            this.affinity = affinity;
            return this;
        }

        public BalancerConfig build() {
            return new BalancerConfig(name, lbmethod, stickyCookie, stickyPath, separator, scolonPathDelim, noFailover,
                    maxAttempts, failOnStatus, failOnTimeout, timeout, forceRecovery, growth, nonce, members, where, affinity);
        }
    }
}
