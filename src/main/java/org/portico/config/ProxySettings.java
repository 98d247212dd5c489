package org.portico.config;

import java.time.Duration;
import java.util.Set;

/**
 * Server-wide proxy directives (ProxyPreserveHost, ProxyAddHeaders, ProxyVia, ProxyTimeout,
 * ProxyErrorOverride, ProxyBadHeader, Proxy100Continue, ProxyMaxForwards, BalancerGrowth).
 *
 * @param errorOverrideStatuses empty means every status 400..599 when {@code errorOverride} is on
 * @param maxForwards -1 adds no Max-Forwards header
 * @param serverName the name used in Via and X-Forwarded-Server; null means the request's server name
 */
public record ProxySettings(
        boolean preserveHost,
        boolean addHeaders,
        Via via,
        Duration timeout,
        boolean errorOverride,
        Set<Integer> errorOverrideStatuses,
        BadHeader badHeader,
        boolean proxy100Continue,
        int maxForwards,
        String serverName,
        boolean mergeSlashes,
        int balancerGrowth) {

    /** ProxyVia. */
    public enum Via { OFF, ON, FULL, BLOCK }

    /** ProxyBadHeader. */
    public enum BadHeader { IS_ERROR, IGNORE, START_BODY }

    public static ProxySettings defaults() {
        return new ProxySettings(false, true, Via.OFF, Duration.ofSeconds(60), false, Set.of(),
                BadHeader.IS_ERROR, true, -1, null, true, 5);
    }

    public boolean overridesError(int status) {
        return errorOverride && status >= 400 && status <= 599
                && (errorOverrideStatuses.isEmpty() || errorOverrideStatuses.contains(status));
    }
}
