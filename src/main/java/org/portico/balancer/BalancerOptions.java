package org.portico.balancer;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.portico.config.BalancerConfig;

/**
 * Portico's opt-in additions to httpd's balancer, all off by default; the descriptor's balancer attributes
 * ({@code route-cookie}, {@code learned-affinity}, {@code affinity-max-entries}, {@code affinity-expiry}) turn
 * them on. Immutable; start from {@link #DEFAULTS} and use the {@code with} methods.
 *
 * @param routeCookie re-issue the sticky cookie when the route changed ({@link Balancer#routeCookie})
 * @param learnedAffinity remember which member issued a session value that carries no route
 *                        ({@link LearnedAffinity}); needs {@code stickysession}
 * @param affinityMaxEntries how many session values are remembered at most
 * @param affinityExpiry how long a remembered session value lives without being used
 * @param affinityTicker the clock of the expiry, in nanoseconds; null for {@link System#nanoTime}
 * @param responseTimeDecay the time constant of the members' response time estimates ({@link PeakEwma})
 */
public record BalancerOptions(boolean routeCookie, boolean learnedAffinity, long affinityMaxEntries,
                              Duration affinityExpiry, LongSupplier affinityTicker, Duration responseTimeDecay) {

    /** Plain httpd behaviour. */
    public static final BalancerOptions DEFAULTS = new BalancerOptions(false, false,
            BalancerConfig.Affinity.OFF.maxEntries(), BalancerConfig.Affinity.OFF.expiry(), null, PeakEwma.DEFAULT_DECAY);

    public BalancerOptions {
        if (affinityMaxEntries < 1) {
            throw new IllegalArgumentException("affinityMaxEntries must be at least 1, not " + affinityMaxEntries);
        }
        if (affinityExpiry == null || affinityExpiry.isNegative() || affinityExpiry.isZero()) {
            throw new IllegalArgumentException("affinityExpiry must be a positive duration, not " + affinityExpiry);
        }
        if (responseTimeDecay == null || responseTimeDecay.isNegative() || responseTimeDecay.isZero()) {
            throw new IllegalArgumentException("responseTimeDecay must be a positive duration, not " + responseTimeDecay);
        }
    }

    public BalancerOptions withRouteCookie(boolean on) {
        return new BalancerOptions(on, learnedAffinity, affinityMaxEntries, affinityExpiry, affinityTicker,
                responseTimeDecay);
    }

    /** Turns learned affinity on with the given bound and idle expiry. */
    public BalancerOptions withLearnedAffinity(long maxEntries, Duration expireAfterAccess) {
        return new BalancerOptions(routeCookie, true, maxEntries, expireAfterAccess, affinityTicker,
                responseTimeDecay);
    }

    /** The clock of the affinity expiry (tests pass a fake one). */
    BalancerOptions withAffinityTicker(LongSupplier nanoTicker) {
        return new BalancerOptions(routeCookie, learnedAffinity, affinityMaxEntries, affinityExpiry, nanoTicker,
                responseTimeDecay);
    }

    /** The time constant of the response time estimates (no descriptor setting: tests shorten it). */
    BalancerOptions withResponseTimeDecay(Duration decay) {
        return new BalancerOptions(routeCookie, learnedAffinity, affinityMaxEntries, affinityExpiry, affinityTicker,
                decay);
    }
}
