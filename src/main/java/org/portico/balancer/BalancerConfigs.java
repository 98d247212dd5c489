package org.portico.balancer;

import java.time.Duration;
import java.util.List;
import org.portico.config.BalancerConfig;
import org.portico.config.WorkerConfig;

/**
 * Copies of a {@link BalancerConfig} with some values changed: what a manager edit or a restored
 * state makes before {@link Balancer#apply} swaps it in. Each names one edit; the copying is
 * {@link BalancerConfig#copy}'s. Stateless.
 */
public final class BalancerConfigs {

    private BalancerConfigs() {
    }

    public static BalancerConfig withNonce(BalancerConfig c, String nonce) {
        return BalancerConfig.copy(c).setNonce(nonce).build();
    }

    public static BalancerConfig withMembers(BalancerConfig c, List<WorkerConfig> members) {
        return BalancerConfig.copy(c).setMembers(members).build();
    }

    /**
     * The settings the balancer-manager edits (httpd's {@code b_lbm}, {@code b_ss}, {@code b_sforce},
     * {@code b_max}, {@code b_tmo}); everything else is kept.
     *
     * @param stickyCookie empty for no sticky session
     * @param stickyPath empty for no sticky session
     * @param maxAttempts null for httpd's default (members - 1)
     */
    public static BalancerConfig withSettings(BalancerConfig c, String lbmethod, String stickyCookie, String stickyPath,
                                              boolean noFailover, Integer maxAttempts, Duration timeout) {
        return BalancerConfig.copy(c).setLbmethod(lbmethod).setStickyCookie(stickyCookie).setStickyPath(stickyPath)
                .setNoFailover(noFailover).setMaxAttempts(maxAttempts).setTimeout(timeout).build();
    }
}
