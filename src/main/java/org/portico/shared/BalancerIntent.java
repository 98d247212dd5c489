package org.portico.shared;

/**
 * A balancer's settings that the balancer-manager edits, as shared (JSON by Gson). Immutable.
 *
 * @param maxAttempts null: the balancer's default
 * @param writer      the instance that wrote it
 * @param writtenAt   when, in milliseconds since the epoch on the writer's clock
 */
public record BalancerIntent(String lbmethod, String stickyCookie, String stickyPath, boolean noFailover,
                             Integer maxAttempts, long timeoutMs, String writer, long writtenAt) {
}
