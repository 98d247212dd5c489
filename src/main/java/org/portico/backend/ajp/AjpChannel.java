package org.portico.backend.ajp;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.portico.backend.BackendChannel;
import org.portico.balancer.Succession;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * The AJP side of one worker: its connection pool ({@code max}, {@code ttl}, {@code acquire}) and the
 * settings its exchanges run with ({@code timeout}, {@code connectiontimeout}, {@code ping}, {@code secret},
 * {@code disablereuse}); the threads that run them are the protocol's. Thread-safe.
 */
final class AjpChannel implements BackendChannel {

    /** What the exchanges of this worker run with. */
    record Settings(AjpConnection.Endpoint endpoint, Duration ping, String secret, boolean disableReuse,
                    long acquireMillis, long timeoutMillis, int packetSize) {

        static Settings of(WorkerConfig worker, ProxySettings proxy) {
            WorkerParams p = worker.params();
            Duration timeout = p.effectiveTimeout(proxy);
            return new Settings(new AjpConnection.Endpoint(worker.host(), worker.port(), p.effectiveConnectTimeout(proxy),
                    timeout, p.keepalive(), p.receiveBufferSize()), p.ping(), p.secret(), p.disableReuse(),
                    p.effectiveAcquire(proxy).toMillis(), timeout.toMillis(), AjpCodes.packetSize(p.ioBufferSize()));
        }
    }

    /** What the channel is made from: a reload keeps the channel of a worker whose spec is unchanged. */
    private record Spec(java.net.URI uri, WorkerParams params, Settings settings) {
        static Spec of(WorkerConfig worker, ProxySettings proxy) {
            return new Spec(worker.uri(), Succession.withoutManagerParams(worker.params()), Settings.of(worker, proxy));
        }
    }

    private final Spec spec;
    private final Settings settings;
    private final ConnectionPool<AjpConnection> pool;
    private final Executor executor;
    private final String target;

    AjpChannel(WorkerConfig worker, ProxySettings proxy, AjpProtocol.Shared shared) {
        this.spec = Spec.of(worker, proxy);
        this.settings = spec.settings();
        this.pool = new ConnectionPool<>(worker.params().max(), worker.params().ttl(), shared.timer(), System::nanoTime);
        this.executor = shared.executor();
        this.target = worker.host() + ":" + worker.port();
    }

    @Override
    public Cancellable execute(AsyncClientExchangeHandler exchange) {
        AjpExchange x = new AjpExchange(exchange, this);
        x.start();
        return x;
    }

    @Override
    public void closeIdle() {
        pool.closeIdle();
    }

    @Override
    public boolean sameAs(WorkerConfig worker, ProxySettings proxy) {
        return spec.equals(Spec.of(worker, proxy));
    }

    @Override
    public void close() {
        pool.close();
    }

    Settings settings() {
        return settings;
    }

    ConnectionPool<AjpConnection> pool() {
        return pool;
    }

    Executor executor() {
        return executor;
    }

    /** host:port, for messages. */
    String target() {
        return target;
    }
}
