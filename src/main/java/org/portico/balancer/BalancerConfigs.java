package org.portico.balancer;

import java.time.Duration;
import java.util.List;
import org.portico.config.BalancerConfig;
import org.portico.config.WorkerConfig;

/**
 * Copies of a {@link BalancerConfig} with some values changed: what a manager edit or a restored
 * state makes before {@link Balancer#apply} swaps it in. The record stays the descriptor's
 * immutable value; these only spell out its long constructor once. Stateless.
 */
public final class BalancerConfigs {

    private BalancerConfigs() {
    }

    public static BalancerConfig withNonce(BalancerConfig c, String nonce) {
        return new BalancerConfig(c.name(), c.lbmethod(), c.stickyCookie(), c.stickyPath(), c.separator(),
                c.scolonPathDelim(), c.noFailover(), c.maxAttempts(), c.failOnStatus(), c.failOnTimeout(), c.timeout(),
                c.forceRecovery(), c.growth(), nonce, c.members(), c.where(), c.affinity());
    }

    public static BalancerConfig withMembers(BalancerConfig c, List<WorkerConfig> members) {
        return new BalancerConfig(c.name(), c.lbmethod(), c.stickyCookie(), c.stickyPath(), c.separator(),
                c.scolonPathDelim(), c.noFailover(), c.maxAttempts(), c.failOnStatus(), c.failOnTimeout(), c.timeout(),
                c.forceRecovery(), c.growth(), c.nonce(), members, c.where(), c.affinity());
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
        return new BalancerConfig(c.name(), lbmethod, stickyCookie, stickyPath, c.separator(),
                c.scolonPathDelim(), noFailover, maxAttempts, c.failOnStatus(), c.failOnTimeout(), timeout,
                c.forceRecovery(), c.growth(), c.nonce(), c.members(), c.where(), c.affinity());
    }
}
