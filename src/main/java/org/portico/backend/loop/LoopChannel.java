package org.portico.backend.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.impl.DefaultClientConnectionReuseStrategy;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexerFactory;
import org.apache.hc.core5.http.impl.nio.DefaultHttpRequestWriterFactory;
import org.apache.hc.core5.http.impl.nio.DefaultHttpResponseParserFactory;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.http.protocol.DefaultHttpProcessor;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.RequestUserAgent;
import org.apache.hc.core5.http2.protocol.H2RequestConnControl;
import org.apache.hc.core5.http2.protocol.H2RequestContent;
import org.apache.hc.core5.http2.protocol.H2RequestTargetHost;
import org.apache.hc.core5.util.VersionInfo;
import org.eclipse.jetty.util.thread.Scheduler;
import org.portico.backend.BackendChannel;
import org.portico.backend.Http1Settings;
import org.portico.backend.PoolSpec;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * The connections of one {@code http://} worker on the Jetty server's selectors: a pool of up to {@code max}
 * keep-alive connections, most recently used first, each carrying one exchange at a time. A request that finds none
 * free opens one while fewer than {@code max} are open, else waits up to {@code acquire} for one to come back (then
 * fails with a {@link TimeoutException}, which httpd answers 503). Idle connections older than {@code ttl} are closed
 * instead of reused, and every connection closes after {@code timeout} without traffic, idle or not, as HttpClient's
 * do. Thread-safe: the pool is guarded by this channel's monitor, held only for its own bookkeeping.
 */
final class LoopChannel implements BackendChannel, LoopConnection.Owner {

    /** The request interceptors of HttpClient's minimal client, so a request leaves as it would through HttpClient. */
    private static final HttpProcessor PROCESSOR = new DefaultHttpProcessor(new H2RequestTargetHost(), new H2RequestContent(),
            new H2RequestConnControl(), new RequestUserAgent(VersionInfo.getSoftwareInfo("Apache-HttpAsyncClient",
            "org.apache.hc.client5", HttpAsyncClients.class)));

    private final PoolSpec spec;
    private final HttpHost target;
    private final ServerSelectors selectors;
    private final ServerSelectors.SocketOptions socket;
    private final ClientHttp1StreamDuplexerFactory duplexers;
    private final int max;
    private final long acquireMillis;
    private final long connectMillis;
    private final long timeoutMillis;
    private final long ttlNanos;

    private final ArrayDeque<LoopConnection> idle = new ArrayDeque<>();
    private final Set<LoopConnection> all = new HashSet<>();
    private final ArrayDeque<Lease> waiting = new ArrayDeque<>();
    /** Connections open or being opened; guarded by this. */
    private int open;
    private boolean closed;

    LoopChannel(WorkerConfig worker, ProxySettings settings, ServerSelectors selectors) {
        this.spec = PoolSpec.of(worker, settings);
        WorkerParams p = worker.params();
        this.target = new HttpHost("http", worker.host(), worker.port());
        this.selectors = selectors;
        this.socket = new ServerSelectors.SocketOptions(p.keepalive(), p.receiveBufferSize());
        Http1Config http1 = Http1Settings.of(p.responseFieldSize(), Http1Settings.bufferSize(p), p.ping());
        this.duplexers = new ClientHttp1StreamDuplexerFactory(PROCESSOR, http1, CharCodingConfig.DEFAULT,
                DefaultClientConnectionReuseStrategy.INSTANCE, new DefaultHttpResponseParserFactory(http1),
                DefaultHttpRequestWriterFactory.INSTANCE, null, null, null);
        this.max = p.max();
        this.acquireMillis = spec.acquire().toMillis();
        this.connectMillis = spec.connectTimeout().toMillis();
        this.timeoutMillis = spec.timeout().toMillis();
        Duration ttl = p.ttl();
        this.ttlNanos = ttl == null ? Long.MAX_VALUE : ttl.toNanos();
    }

    @Override
    public boolean sameAs(WorkerConfig worker, ProxySettings settings) {
        return spec.equals(PoolSpec.of(worker, settings));
    }

    @Override
    public Cancellable execute(AsyncClientExchangeHandler exchange) {
        Lease lease = new Lease(exchange);
        LoopConnection free = null;
        boolean connect = false;
        synchronized (this) {
            if (closed) {
                lease.fail(new ConnectionClosedException("the worker's connections are closed"));
                return lease::abandon;
            }
            free = takeIdle();
            if (free == null) {
                if (open < max) {
                    open++;
                    connect = true;
                } else {
                    waiting.add(lease);
                }
            }
        }
        if (free != null) {
            lease.start(free);
        } else if (connect) {
            openFor(lease);
        } else {
            lease.awaitConnection();
        }
        return lease::abandon;
    }

    /** Under the monitor: the most recently used idle connection that may still be used; stale ones are closed. */
    private LoopConnection takeIdle() {
        LoopConnection c;
        while ((c = idle.pollFirst()) != null) {
            if (c.reusable() && c.idleNanos() <= ttlNanos) {
                return c;
            }
            c.abort(); // counted down when its close arrives
        }
        return null;
    }

    private void openFor(Lease lease) {
        selectors.connect(target, socket, connectMillis, (endPoint, executor) -> {
            endPoint.setIdleTimeout(timeoutMillis);
            return new LoopConnection(endPoint, executor, target, duplexers, this);
        }, c -> {
            boolean shut;
            synchronized (this) {
                shut = closed;
                all.add(c);
            }
            if (shut) {
                c.abort();
                lease.fail(new ConnectionClosedException("the worker's connections are closed"));
            } else {
                lease.start(c);
            }
        }, failure -> {
            synchronized (this) {
                open--;
            }
            lease.fail(failure);
            serveWaiting();
        });
    }

    /** A lease that waits gets a connection of its own once fewer than {@code max} are open. */
    private void serveWaiting() {
        Lease next;
        synchronized (this) {
            if (open >= max || waiting.isEmpty()) {
                return;
            }
            next = waiting.poll();
            open++;
        }
        next.stopTimer();
        openFor(next);
    }

    /** The exchange on {@code c} released it: the connection serves a waiting lease, or goes idle. */
    private void released(LoopConnection c) {
        if (!c.reusable()) {
            c.abort(); // counted down when its close arrives
            return;
        }
        Lease next;
        synchronized (this) {
            if (closed) {
                next = null;
            } else {
                next = waiting.poll();
                if (next == null) {
                    c.markIdle();
                    idle.addFirst(c);
                    return;
                }
            }
        }
        if (next == null) {
            c.abort();
            return;
        }
        next.stopTimer();
        next.start(c);
    }

    @Override
    public void closed(LoopConnection c) {
        synchronized (this) {
            if (all.remove(c)) {
                open--;
            }
            idle.remove(c);
        }
        serveWaiting();
    }

    /** How many connections wait idle in the pool now; for tests, which must wait for a release to land. */
    synchronized int idleConnections() {
        return idle.size();
    }

    @Override
    public void closeIdle() {
        List<LoopConnection> stale;
        synchronized (this) {
            stale = new ArrayList<>(idle);
            idle.clear();
        }
        stale.forEach(LoopConnection::abort);
    }

    @Override
    public void close() {
        List<LoopConnection> connections;
        List<Lease> leases;
        synchronized (this) {
            closed = true;
            connections = new ArrayList<>(all);
            leases = new ArrayList<>(waiting);
            waiting.clear();
            idle.clear();
        }
        connections.forEach(LoopConnection::abort);
        for (Lease l : leases) {
            l.stopTimer();
            l.fail(new ConnectionClosedException("the worker's connections are closed"));
        }
    }

    /** One exchange from its lease to its release; abandoning it drops its connection. */
    private final class Lease {
        private final AsyncClientExchangeHandler exchange;
        private volatile LoopConnection connection;
        /** The exchange as run on its connection; its release gives the connection back (or closes it), once. */
        private volatile ReleaseNotice running;
        private volatile Scheduler.Task timer;

        Lease(AsyncClientExchangeHandler exchange) {
            this.exchange = exchange;
        }

        void start(LoopConnection c) {
            connection = c;
            ReleaseNotice r = new ReleaseNotice(exchange, () -> released(c));
            running = r;
            c.execute(new RequestExecutionCommand(r, HttpCoreContext.create()));
        }

        void awaitConnection() {
            if (acquireMillis <= 0) {
                return;
            }
            try {
                Scheduler.Task t = selectors.scheduler().schedule(this::expire, acquireMillis, TimeUnit.MILLISECONDS);
                timer = t;
            } catch (IOException e) {
                expire();
            }
        }

        void stopTimer() {
            Scheduler.Task t = timer;
            if (t != null) {
                t.cancel();
            }
        }

        private void expire() {
            boolean mine;
            synchronized (LoopChannel.this) {
                mine = waiting.remove(this);
            }
            if (mine) {
                fail(new TimeoutException("no connection to " + target + " became free within acquire=" + acquireMillis + " ms"));
            }
        }

        void fail(Exception cause) {
            try {
                exchange.failed(cause);
            } finally {
                exchange.releaseResources();
            }
        }

        /** Drops the exchange: out of the queue if it waits for a connection, else its connection closes. */
        boolean abandon() {
            boolean waited;
            synchronized (LoopChannel.this) {
                waited = waiting.remove(this);
            }
            if (waited) {
                stopTimer();
                try {
                    exchange.cancel();
                } finally {
                    exchange.releaseResources();
                }
                return true;
            }
            LoopConnection c = connection;
            ReleaseNotice r = running;
            if (c != null && r != null && !r.isReleased()) {
                c.abort();
                return true;
            }
            return false;
        }
    }
}
