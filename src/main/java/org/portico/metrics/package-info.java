/**
 * Monitoring: each balancer member's traffic, errors by kind, latency, state and health checks, read from
 * the live balancers at scrape time and exposed as Prometheus text ({@link org.portico.metrics.MetricsServlet},
 * written by the Prometheus Java client) and as MXBeans on the platform MBeanServer
 * ({@link org.portico.metrics.JmxBeans}). Uses {@code proxy}, {@code balancer}, {@code health} and the
 * manager's access check; nothing depends on it but the web app's lifecycle.
 */
package org.portico.metrics;
