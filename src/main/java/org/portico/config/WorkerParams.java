package org.portico.config;

import java.time.Duration;

/**
 * The parameters of one worker (a ProxyPass target or a BalancerMember), with httpd's names.
 * Durations that httpd leaves unset are null here; {@link #effectiveTimeout} and friends resolve
 * them the way httpd does.
 *
 * @param max connection pool size towards this worker
 * @param lbfactor loadfactor × 100, as httpd stores it (100..10000)
 * @param status the initial status flags, as {@link StatusFlag} bits
 * @param trustStore null for the JVM's default trust store
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
        TrustStoreConfig trustStore) {

    /** Portico's pool default: large enough never to throttle a busy front end (HttpClient5's own is 5). */
    public static final int DEFAULT_MAX = 512;

    public static WorkerParams defaults() {
        return new WorkerParams(0, DEFAULT_MAX, DEFAULT_MAX, null, null, null, null, Duration.ofSeconds(60),
                100, 0, "", "", 0, false, false, null, "off", Duration.ofMillis(10), 8192, 0, 8192,
                HealthCheck.NONE, null);
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
}
