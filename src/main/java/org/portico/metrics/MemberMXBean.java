package org.portico.metrics;

import java.util.Map;

/**
 * One balancer member's live figures over JMX, under
 * {@code org.portico:type=Member,context=<path>,balancer=<name>,member="<url>"}. Each read takes the values
 * of that moment; the same figures as {@code /balancer-manager/metrics}.
 */
public interface MemberMXBean {

    String getBalancer();

    String getMember();

    /** httpd's status string, e.g. {@code Init Ok} or {@code Init Err}. */
    String getStatus();

    boolean isUsable();

    double getLoadFactor();

    int getBusy();

    long getElected();

    /** Exchanges that ended on this member, each attempt of a request. */
    long getRequests();

    long getErrors();

    /** Errors by kind: the proxy's failure classes, client_abort and status_5xx. */
    Map<String, Long> getErrorsByKind();

    long getBytesSent();

    long getBytesReceived();

    /** The exchanges' durations: how many fell at or under each upper bound in seconds (cumulative, as Prometheus's le). */
    Map<String, Long> getLatencyHistogram();

    double getLatencySecondsSum();

    /** {@code passed: status 200} or {@code failed: connect refused}; empty before the first check. */
    String getHealthCheckLast();

    /** The last check's duration, or -1 before the first. */
    long getHealthCheckLastMillis();

    long getHealthChecksPassed();

    long getHealthChecksFailed();
}
