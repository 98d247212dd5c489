package org.portico.config;

import java.time.Duration;
import java.util.Set;

/**
 * Server-wide proxy directives (ProxyPreserveHost, ProxyAddHeaders, ProxyVia, ProxyTimeout,
 * ProxyErrorOverride, ProxyBadHeader, Proxy100Continue, ProxyMaxForwards, BalancerGrowth, ProxyHCTPsize, and the core's
 * MergeSlashes, AllowEncodedSlashes, LimitRequestLine, LimitRequestFieldSize and LimitRequestFields).
 *
 * @param errorOverrideStatuses empty means every status 400..599 when {@code errorOverride} is on
 * @param maxForwards -1 adds no Max-Forwards header
 * @param serverName the name used in Via and X-Forwarded-Server; null means the request's server name
 * @param hcThreads ProxyHCTPsize: health checks run at once (0: one by one on the watchdog thread)
 * @param headLimits the limits a client's request head must keep
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
        EncodedSlashes encodedSlashes,
        int balancerGrowth,
        int hcThreads,
        HeadLimits headLimits) {

    /** ProxyVia. */
    public enum Via { OFF, ON, FULL, BLOCK }

    /** AllowEncodedSlashes: what a {@code %2F} in the request path does. */
    public enum EncodedSlashes {
        /** httpd's default: the request is answered 404 and not proxied. */
        OFF,
        /** Decoded to {@code /} before the path is mapped, and forwarded so. */
        ON,
        /** Kept as {@code %2F}: data within a segment, forwarded as it came. */
        NODECODE
    }

    /** ProxyBadHeader. */
    public enum BadHeader { IS_ERROR, IGNORE, START_BODY }

    public static ProxySettings defaults() {
        return new ProxySettings(false, true, Via.OFF, Duration.ofSeconds(60), false, Set.of(),
                BadHeader.IS_ERROR, true, -1, null, true, EncodedSlashes.OFF, 5, 16, HeadLimits.DEFAULTS);
    }

    public boolean overridesError(int status) {
        return errorOverride && status >= 400 && status <= 599
                && (errorOverrideStatuses.isEmpty() || errorOverrideStatuses.contains(status));
    }
}
