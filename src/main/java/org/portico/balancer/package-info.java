/**
 * httpd's mod_proxy_balancer semantics without servlets or HTTP clients: members and their live state
 * ({@link org.portico.balancer.Worker}), lbmethods as {@link java.util.ServiceLoader} providers
 * ({@link org.portico.balancer.LbMethod}: byrequests, bytraffic, bybusyness, heartbeat, and Portico's
 * bylatency), sticky routes ({@link org.portico.balancer.StickyRoute}), the per-request selection flow
 * ({@link org.portico.balancer.Balancer#select(String, Iterable, long)} returning a
 * {@link org.portico.balancer.Selection}) and failover decisions
 * ({@link org.portico.balancer.Attempts}, {@link org.portico.balancer.FailoverPolicy}).
 *
 * <p>One request, as the proxy drives it:
 * <pre>{@code
 * Attempts attempts = balancer.attempts();
 * Selection s = balancer.select(rawPathAndQuery, cookieHeaders, now);      // WAIT: balancer.retry(s, later)
 * worker = s.worker(); worker.requestStarted();                             // the only place busy grows
 * ... on failure:  attempts.failed(worker, Failure.CONNECT_FAILED, now).failOver() ? select again : answer status()
 * ... on response: worker.recordResponseTime(nanos, now); balancer.learnAffinity(worker, setCookies, now);
 *                  add balancer.routeCookie(s) if not null; attempts.completed(worker, status, timedOut, now)
 * ... at the end:  worker.requestEnded(); worker.addBytesRead(..); worker.addBytesTransferred(..)
 * }</pre>
 * Every method takes the current time in milliseconds, so that one clock rules retry timers, waits
 * and estimates, and tests need no sleeping.
 *
 * <p>Threading: a {@link org.portico.balancer.Balancer} is thread-safe; it runs the lbmethods under its
 * lock, and applies a manager edit ({@link org.portico.balancer.BalancerEdit}) under the same lock as one
 * swap. Workers are thread-safe; configuration values, selections and edits are immutable;
 * {@link org.portico.balancer.Attempts} belongs to one request. Each class says which.
 */
package org.portico.balancer;
