package org.portico.backend.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.BasicFuture;
import org.apache.hc.core5.concurrent.ComplexFuture;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The connection manager behind one shared I/O reactor: every pool operation goes to the pool of the
 * worker the route leads to, so each worker keeps its own pool (size, ttl, TLS) while all of them share
 * the reactor's thread. An endpoint always goes back to the pool that leased it, and a lease that waits
 * for a free connection ends at its deadline ({@link Lease}). Thread-safe.
 */
final class WorkerPools implements AsyncClientConnectionManager {

    private final Map<HttpHost, AsyncClientConnectionManager> byTarget = new ConcurrentHashMap<>();
    /** Fires the lease deadlines; shared by all reactors of one {@link BackendReactors}. */
    private final ScheduledExecutorService deadlines;
    /** Keyed by identity: endpoints do not override equals. */
    private final Map<AsyncConnectionEndpoint, AsyncClientConnectionManager> leased = new ConcurrentHashMap<>();

    WorkerPools(ScheduledExecutorService deadlines) {
        this.deadlines = deadlines;
    }

    /** Returns false when another worker's pool already serves this target here. */
    boolean add(HttpHost target, AsyncClientConnectionManager pool) {
        return byTarget.putIfAbsent(target, pool) == null;
    }

    void remove(HttpHost target, AsyncClientConnectionManager pool) {
        byTarget.remove(target, pool);
    }

    boolean isEmpty() {
        return byTarget.isEmpty();
    }

    @Override
    public Future<AsyncConnectionEndpoint> lease(String id, HttpRoute route, Object state, Timeout requestTimeout,
                                                 FutureCallback<AsyncConnectionEndpoint> callback) {
        AsyncClientConnectionManager pool = byTarget.get(route.getTargetHost());
        if (pool == null) {
            BasicFuture<AsyncConnectionEndpoint> refused = new BasicFuture<>(callback);
            refused.failed(new IllegalStateException("no connection pool for " + route.getTargetHost()));
            return refused;
        }
        Lease lease = new Lease(pool, route.getTargetHost(), requestTimeout, callback);
        lease.start(pool.lease(id, route, state, requestTimeout, lease));
        return lease.result;
    }

    /**
     * One lease from a worker's pool, held to its deadline. HttpCore's StrictConnPool looks at the
     * deadlines of waiting leases only when a connection is leased or released, so a request waiting
     * behind slow ones would wait for one of them to end (up to the socket timeout) instead of
     * {@code acquire}; and HttpClient 5.6 offers no way to have the pool look on its own. A timer
     * therefore fails the lease with a {@link TimeoutException} at its deadline (httpd answers 503)
     * and withdraws it from the pool. The timer is only set when no connection was free at once.
     */
    private final class Lease implements FutureCallback<AsyncConnectionEndpoint> {
        private final AsyncClientConnectionManager pool;
        private final HttpHost target;
        private final Timeout timeout;
        final ComplexFuture<AsyncConnectionEndpoint> result;
        private volatile Future<AsyncConnectionEndpoint> pending;
        private volatile ScheduledFuture<?> timer;

        Lease(AsyncClientConnectionManager pool, HttpHost target, Timeout timeout,
              FutureCallback<AsyncConnectionEndpoint> callback) {
            this.pool = pool;
            this.target = target;
            this.timeout = timeout;
            this.result = new ComplexFuture<>(callback);
        }

        void start(Future<AsyncConnectionEndpoint> poolLease) {
            pending = poolLease;
            result.setDependency(poolLease);
            if (!result.isDone() && Timeout.isPositive(timeout)) {
                timer = deadlines.schedule(this::expire, timeout.toMilliseconds(), TimeUnit.MILLISECONDS);
                if (result.isDone()) {
                    timer.cancel(false); // completed while the timer was being set
                }
            }
        }

        private void expire() {
            if (result.failed(new TimeoutException("no connection to " + target + " became free within acquire="
                    + timeout.toMilliseconds() + " ms"))) {
                // out of the pool's queue; a connection it hands over meanwhile comes back in completed()
                pending.cancel(false);
            }
        }

        @Override
        public void completed(AsyncConnectionEndpoint endpoint) {
            stopTimer();
            leased.put(endpoint, pool);
            if (!result.completed(endpoint)) {
                // the deadline (or a cancel) came first: the connection goes back for the next request
                release(endpoint, null, TimeValue.NEG_ONE_MILLISECOND);
            }
        }

        @Override
        public void failed(Exception ex) {
            stopTimer();
            result.failed(ex);
        }

        @Override
        public void cancelled() {
            stopTimer();
            result.cancel();
        }

        private void stopTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    @Override
    public void release(AsyncConnectionEndpoint endpoint, Object newState, TimeValue validDuration) {
        AsyncClientConnectionManager pool = leased.remove(endpoint);
        if (pool == null) {
            endpoint.close(CloseMode.IMMEDIATE); // not ours (or released twice): never reuse it
            return;
        }
        pool.release(endpoint, newState, validDuration);
    }

    @Override
    public Future<AsyncConnectionEndpoint> connect(AsyncConnectionEndpoint endpoint, ConnectionInitiator initiator,
                                                   Timeout connectTimeout, Object attachment, HttpContext context,
                                                   FutureCallback<AsyncConnectionEndpoint> callback) {
        return poolOf(endpoint).connect(endpoint, initiator, connectTimeout, attachment, context, callback);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context) {
        poolOf(endpoint).upgrade(endpoint, attachment, context);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context,
                        FutureCallback<AsyncConnectionEndpoint> callback) {
        poolOf(endpoint).upgrade(endpoint, attachment, context, callback);
    }

    private AsyncClientConnectionManager poolOf(AsyncConnectionEndpoint endpoint) {
        AsyncClientConnectionManager pool = leased.get(endpoint);
        if (pool == null) {
            throw new IllegalStateException("endpoint " + endpoint + " was not leased here");
        }
        return pool;
    }

    /** The pools belong to their workers, which close them; the reactor only lets go of them. */
    @Override
    public void close(CloseMode closeMode) {
        leased.clear();
    }

    @Override
    public void close() {
        close(CloseMode.GRACEFUL);
    }
}
