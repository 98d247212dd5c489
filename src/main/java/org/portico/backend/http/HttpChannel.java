package org.portico.backend.http;

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
import org.portico.backend.BackendChannel;
import org.portico.backend.PoolSpec;
import org.portico.config.BackendScheme;
import org.portico.config.ProxySettings;
import org.portico.config.TrustStoreConfig;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * The HTTP client side of one worker: its own connection pool, sized and timed from the worker's
 * parameters, on a reactor it shares with workers of equal socket settings ({@link BackendReactors}).
 * HttpClient5's minimal async client is used on purpose: it has no exec chain, so no automatic
 * retries, redirects, cookie store, decompression or protocol upgrade can interfere with proxying.
 * {@code http://} and {@code https://} workers speak HTTP/1.1 only; {@code h2c://} (prior knowledge) and
 * {@code h2://} (ALPN) workers speak HTTP/2 only, their exchanges multiplexed as streams of a connection
 * while up to {@code max} connections are pooled. Thread-safe.
 */
final class HttpChannel implements BackendChannel {

    private final HttpHost host;
    private final PoolingAsyncClientConnectionManager pool;
    private final BackendReactors reactors;
    private final BackendReactors.Reactor reactor;
    private final RequestConfig requestConfig;

    private final PoolSpec spec;

    HttpChannel(WorkerConfig worker, ProxySettings settings, BackendReactors reactors) {
        this.spec = PoolSpec.of(worker, settings);
        BackendScheme scheme = worker.backendScheme();
        boolean h2 = scheme.http2();
        HttpVersionPolicy version = h2 ? HttpVersionPolicy.FORCE_HTTP_2 : HttpVersionPolicy.FORCE_HTTP_1;
        // HttpClient knows a route by scheme, host and port; TLS comes from the strategy set below
        this.host = new HttpHost(scheme.secure() ? "https" : "http", worker.host(), worker.port());
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
                .setMessageMultiplexing(h2)
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(version).build());
        if (scheme.secure()) {
            poolBuilder.setTlsStrategy(tlsStrategy(p.trustStore()));
        }
        this.pool = poolBuilder.build();
        this.reactors = reactors;
        this.reactor = reactors.attach(BackendReactors.Settings.of(p, version), host, pool);
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

    @Override
    public boolean sameAs(WorkerConfig worker, ProxySettings settings) {
        return spec.equals(PoolSpec.of(worker, settings));
    }

    /** The route target: scheme, host and port of the worker. */
    HttpHost host() {
        return host;
    }

    @Override
    public Cancellable execute(AsyncClientExchangeHandler exchange) {
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig);
        return reactor.client().execute(exchange, null, context);
    }

    @Override
    public void closeIdle() {
        pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
    }

    @Override
    public void close() {
        reactors.detach(reactor, host, pool);
        pool.close(CloseMode.IMMEDIATE);
    }
}
