package org.portico.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.portico.config.ProxySettings;
import org.portico.config.TrustStoreConfig;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * The HTTP client side of one worker: its own connection pool, sized and timed from the worker's
 * parameters, on a reactor it shares with workers of equal socket settings ({@link BackendReactors}).
 * HttpClient5's minimal async client is used on purpose: it has no exec chain, so no automatic
 * retries, redirects, cookie store, decompression or protocol upgrade can interfere with proxying.
 * Thread-safe.
 */
final class WorkerClient implements AutoCloseable {

    private final HttpHost host;
    private final PoolingAsyncClientConnectionManager pool;
    private final BackendReactors reactors;
    private final BackendReactors.Reactor reactor;
    private final RequestConfig requestConfig;

    /**
     * Everything a pool is made from: a reload keeps the pool (and its connections) of a worker whose pool
     * spec is unchanged. The parameters the balancer-manager edits are not part of it.
     */
    record PoolSpec(java.net.URI uri, WorkerParams params, Duration timeout, Duration connectTimeout, Duration acquire) {

        static PoolSpec of(WorkerConfig worker, ProxySettings settings) {
            WorkerParams p = worker.params();
            return new PoolSpec(worker.uri(), org.portico.balancer.Succession.withoutManagerParams(p),
                    p.effectiveTimeout(settings), p.effectiveConnectTimeout(settings), p.effectiveAcquire(settings));
        }
    }

    private final PoolSpec spec;

    WorkerClient(WorkerConfig worker, ProxySettings settings, BackendReactors reactors) {
        this.spec = PoolSpec.of(worker, settings);
        this.host = new HttpHost(worker.httpScheme(), worker.host(), worker.port());
        WorkerParams p = worker.params();
        Duration socketTimeout = p.effectiveTimeout(settings);
        ConnectionConfig.Builder connection = ConnectionConfig.custom()
                .setConnectTimeout(timeout(p.effectiveConnectTimeout(settings)))
                .setSocketTimeout(timeout(socketTimeout))
                // a pooled connection the backend may have closed meanwhile is checked before reuse
                .setValidateAfterInactivity(TimeValue.ofSeconds(1));
        if (p.ttl() != null) {
            connection.setIdleTimeout(timeout(p.ttl()));
        }
        PoolingAsyncClientConnectionManagerBuilder poolBuilder = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(p.max())
                .setMaxConnPerRoute(p.max())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setDefaultConnectionConfig(connection.build())
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build());
        if ("https".equals(host.getSchemeName())) {
            poolBuilder.setTlsStrategy(tlsStrategy(p.trustStore()));
        }
        this.pool = poolBuilder.build();
        this.reactors = reactors;
        this.reactor = reactors.attach(BackendReactors.Settings.of(p), host, pool);
        this.requestConfig = RequestConfig.custom()
                .setConnectionRequestTimeout(timeout(p.effectiveAcquire(settings)))
                .build();
    }

    private static Timeout timeout(Duration d) {
        return Timeout.of(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static org.apache.hc.core5.http.nio.ssl.TlsStrategy tlsStrategy(TrustStoreConfig trust) {
        if (trust == null) {
            return ClientTlsStrategyBuilder.create().useSystemProperties().build();
        }
        try (InputStream in = Files.newInputStream(trust.path())) {
            KeyStore ks = KeyStore.getInstance(trust.type());
            ks.load(in, trust.password() == null ? null : trust.password().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ClientTlsStrategyBuilder.create().setSslContext(ctx).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("trust-store '" + trust.id() + "' (" + trust.path() + ") cannot be loaded: " + e, e);
        }
    }

    PoolSpec spec() {
        return spec;
    }

    /** The route target: scheme, host and port of the worker. */
    HttpHost host() {
        return host;
    }

    Cancellable execute(AsyncClientExchangeHandler exchange) {
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig);
        return reactor.client().execute(exchange, null, context);
    }

    /**
     * Closes the pooled connections that are idle now: one of them was found closed by the backend, so the
     * others, opened to the same member, are likely dead too; the next request then connects afresh.
     */
    void closeIdle() {
        pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
    }

    @Override
    public void close() {
        reactors.detach(reactor, host, pool);
        pool.close(CloseMode.IMMEDIATE);
    }
}
