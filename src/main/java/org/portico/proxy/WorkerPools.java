package org.portico.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
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
 * the reactor's thread. An endpoint always goes back to the pool that leased it.
 */
final class WorkerPools implements AsyncClientConnectionManager {

    private final Map<HttpHost, AsyncClientConnectionManager> byTarget = new ConcurrentHashMap<>();
    /** Keyed by identity: endpoints do not override equals. */
    private final Map<AsyncConnectionEndpoint, AsyncClientConnectionManager> leased = new ConcurrentHashMap<>();

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
        ComplexFuture<AsyncConnectionEndpoint> result = new ComplexFuture<>(callback);
        result.setDependency(pool.lease(id, route, state, requestTimeout, new FutureCallback<>() {
            @Override
            public void completed(AsyncConnectionEndpoint endpoint) {
                leased.put(endpoint, pool);
                result.completed(endpoint);
            }

            @Override
            public void failed(Exception ex) {
                result.failed(ex);
            }

            @Override
            public void cancelled() {
                result.cancel();
            }
        }));
        return result;
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
