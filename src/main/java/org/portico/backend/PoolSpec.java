package org.portico.backend;

import java.net.URI;
import java.time.Duration;
import org.portico.balancer.Succession;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * Everything a worker's connection pool is made from, whatever its protocol: a reload keeps the pool (and its
 * connections) of a worker whose spec is unchanged ({@link BackendChannel#sameAs}). The parameters the
 * balancer-manager edits are not part of it. Immutable.
 */
public record PoolSpec(URI uri, WorkerParams params, Duration timeout, Duration connectTimeout, Duration acquire) {

    public static PoolSpec of(WorkerConfig worker, ProxySettings settings) {
        WorkerParams p = worker.params();
        return new PoolSpec(worker.uri(), Succession.withoutManagerParams(p),
                p.effectiveTimeout(settings), p.effectiveConnectTimeout(settings), p.effectiveAcquire(settings));
    }
}
