package org.portico.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * The parameters of one worker (a ProxyPass target or a BalancerMember), with httpd's names. Made by
 * {@link #custom()} or changed by {@link #copy}, never by listing every component.
 * Durations that httpd leaves unset are null here; {@link #effectiveTimeout} and friends resolve
 * them the way httpd does.
 *
 * @param max connection pool size towards this worker
 * @param lbfactor loadfactor × 100, as httpd stores it (100..10000)
 * @param status the initial status flags, as {@link StatusFlag} bits
 * @param trustStore null for the JVM's default trust store
 * @param secret the AJP shared secret (httpd 2.4.42+'s {@code secret}), null for none; ajp:// workers only
 * @param upgrade the protocols a request may be tunnelled to (httpd's {@code upgrade}); never null
 */
public record WorkerParams(
        int min,
        int max,
        int smax,
        Duration ttl,
        Duration acquire,
        Duration connectionTimeout,
        Duration timeout,
        Duration retry,
        int lbfactor,
        int lbset,
        String route,
        String redirect,
        int status,
        boolean keepalive,
        boolean disableReuse,
        Duration ping,
        String flushPackets,
        Duration flushWait,
        int ioBufferSize,
        int receiveBufferSize,
        int responseFieldSize,
        HealthCheck healthCheck,
        TrustStoreConfig trustStore,
        String secret,
        UpgradeProtocols upgrade) {

    /** Portico's pool default: large enough never to throttle a busy front end (HttpClient5's own is 5). */
    public static final int DEFAULT_MAX = 512;

    /** httpd's defaults (and Portico's pool size). */
    public static WorkerParams defaults() {
        return custom().build();
    }

    /** The socket timeout: {@code timeout}, else ProxyTimeout. */
    public Duration effectiveTimeout(ProxySettings settings) {
        return timeout != null ? timeout : settings.timeout();
    }

    /** The connect timeout: {@code connectiontimeout}, else {@code timeout}, else ProxyTimeout. */
    public Duration effectiveConnectTimeout(ProxySettings settings) {
        return connectionTimeout != null ? connectionTimeout : effectiveTimeout(settings);
    }

    /** How long a request waits for a pooled connection: {@code acquire}, else the socket timeout. */
    public Duration effectiveAcquire(ProxySettings settings) {
        return acquire != null ? acquire : effectiveTimeout(settings);
    }

    public boolean hasFlag(StatusFlag flag) {
        return (status & flag.bit()) != 0;
    }

    /** The loadfactor as the descriptor and the manager show it (1.00 .. 100.00). */
    public double loadfactor() {
        return lbfactor / 100.0;
    }

    /**
     * httpd's lbfactor for a loadfactor: × 100, truncated to a whole number, range-checked before narrowing so
     * that huge values cannot wrap.
     *
     * @throws IllegalArgumentException outside 1..100 (after the truncation)
     */
    public static int lbfactor(BigDecimal loadfactor) {
        BigDecimal scaled = loadfactor.movePointRight(2).setScale(0, RoundingMode.DOWN);
        if (scaled.compareTo(BigDecimal.valueOf(100)) < 0 || scaled.compareTo(BigDecimal.valueOf(10_000)) > 0) {
            throw new IllegalArgumentException("loadfactor " + loadfactor.toPlainString() + " is out of range");
        }
        return scaled.intValueExact();
    }

    /** A builder with httpd's defaults, in the manner of HttpCore5's {@code ConnectionConfig.custom()}. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder holding the values of {@code params}, to make a copy with some of them changed. */
    public static Builder copy(WorkerParams params) {
        return new Builder().apply(params);
    }

    /** Builds {@link WorkerParams}; starts from httpd's defaults. Not thread-safe; the result is immutable. */
    public static final class Builder {
        private int min;
        private int max = DEFAULT_MAX;
        private int smax = DEFAULT_MAX;
        private Duration ttl;
        private Duration acquire;
        private Duration connectionTimeout;
        private Duration timeout;
        private Duration retry = Duration.ofSeconds(60);
        private int lbfactor = 100;
        private int lbset;
        private String route = "";
        private String redirect = "";
        private int status;
        private boolean keepalive;
        private boolean disableReuse;
        private Duration ping;
        private String flushPackets = "off";
        private Duration flushWait = Duration.ofMillis(10);
        private int ioBufferSize = 8192;
        private int receiveBufferSize;
        private int responseFieldSize = 8192;
        private HealthCheck healthCheck = HealthCheck.NONE;
        private TrustStoreConfig trustStore;
        private String secret;
        private UpgradeProtocols upgrade = UpgradeProtocols.NONE;

        private Builder() {
        }

        private Builder apply(WorkerParams p) {
            min = p.min;
            max = p.max;
            smax = p.smax;
            ttl = p.ttl;
            acquire = p.acquire;
            connectionTimeout = p.connectionTimeout;
            timeout = p.timeout;
            retry = p.retry;
            lbfactor = p.lbfactor;
            lbset = p.lbset;
            route = p.route;
            redirect = p.redirect;
            status = p.status;
            keepalive = p.keepalive;
            disableReuse = p.disableReuse;
            ping = p.ping;
            flushPackets = p.flushPackets;
            flushWait = p.flushWait;
            ioBufferSize = p.ioBufferSize;
            receiveBufferSize = p.receiveBufferSize;
            responseFieldSize = p.responseFieldSize;
            healthCheck = p.healthCheck;
            trustStore = p.trustStore;
            secret = p.secret;
            upgrade = p.upgrade;
            return this;
        }

        public Builder setMin(int min) {
            this.min = min;
            return this;
        }

        public Builder setMax(int max) {
            this.max = max;
            return this;
        }

        public Builder setSmax(int smax) {
            this.smax = smax;
            return this;
        }

        public Builder setTtl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder setAcquire(Duration acquire) {
            this.acquire = acquire;
            return this;
        }

        public Builder setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public Builder setTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder setRetry(Duration retry) {
            this.retry = retry;
            return this;
        }

        public Builder setLbfactor(int lbfactor) {
            this.lbfactor = lbfactor;
            return this;
        }

        public Builder setLbset(int lbset) {
            this.lbset = lbset;
            return this;
        }

        public Builder setRoute(String route) {
            this.route = route;
            return this;
        }

        public Builder setRedirect(String redirect) {
            this.redirect = redirect;
            return this;
        }

        public Builder setStatus(int status) {
            this.status = status;
            return this;
        }

        public Builder setKeepalive(boolean keepalive) {
            this.keepalive = keepalive;
            return this;
        }

        public Builder setDisableReuse(boolean disableReuse) {
            this.disableReuse = disableReuse;
            return this;
        }

        public Builder setPing(Duration ping) {
            this.ping = ping;
            return this;
        }

        public Builder setFlushPackets(String flushPackets) {
            this.flushPackets = flushPackets;
            return this;
        }

        public Builder setFlushWait(Duration flushWait) {
            this.flushWait = flushWait;
            return this;
        }

        public Builder setIoBufferSize(int ioBufferSize) {
            this.ioBufferSize = ioBufferSize;
            return this;
        }

        public Builder setReceiveBufferSize(int receiveBufferSize) {
            this.receiveBufferSize = receiveBufferSize;
            return this;
        }

        public Builder setResponseFieldSize(int responseFieldSize) {
            this.responseFieldSize = responseFieldSize;
            return this;
        }

        public Builder setHealthCheck(HealthCheck healthCheck) {
            this.healthCheck = healthCheck;
            return this;
        }

        public Builder setTrustStore(TrustStoreConfig trustStore) {
            this.trustStore = trustStore;
            return this;
        }

        public Builder setSecret(String secret) {
            this.secret = secret;
            return this;
        }

        public Builder setUpgrade(UpgradeProtocols upgrade) {
            this.upgrade = java.util.Objects.requireNonNull(upgrade, "upgrade");
            return this;
        }

        public WorkerParams build() {
            return new WorkerParams(min, max, smax, ttl, acquire, connectionTimeout, timeout, retry, lbfactor, lbset,
                    route, redirect, status, keepalive, disableReuse, ping, flushPackets, flushWait, ioBufferSize,
                    receiveBufferSize, responseFieldSize, healthCheck, trustStore, secret, upgrade);
        }
    }
}
