package org.portico.backend.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.portico.backend.BackendChannel;
import org.portico.backend.Http1Settings;
import org.portico.config.WorkerParams;

/**
 * The I/O reactors that carry backend connections. Workers whose socket and HTTP/1.1 settings are equal
 * share one reactor (and its threads), so a request's backend I/O wakes one thread however many members
 * a balancer has; a worker's own pool, timeouts and TLS stay its own (see {@link WorkerPools}).
 */
final class BackendReactors implements AutoCloseable {

    /** Reactor threads; Jetty sizes its selectors the same way. */
    static final int IO_THREADS = Integer.getInteger("portico.io-threads",
            Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / 2)));

    /**
     * What a reactor fixes for all of its connections, the HTTP version among them: HttpClient negotiates
     * plain connections by its client's policy (the pool's TLS config decides only for TLS ones).
     */
    record Settings(boolean keepalive, int receiveBufferSize, int maxLineLength, Duration ping, int bufferSize,
                    HttpVersionPolicy version) {

        static Settings of(WorkerParams p, HttpVersionPolicy version) {
            return new Settings(p.keepalive(), p.receiveBufferSize(), p.responseFieldSize(), p.ping(),
                    Http1Settings.bufferSize(p), version);
        }
    }

    /** One reactor: an HttpClient without exec chain and the pools of the workers it serves. */
    static final class Reactor {
        private final Settings settings;
        private final WorkerPools pools;
        private final MinimalHttpAsyncClient client;

        private Reactor(Settings settings, ScheduledExecutorService deadlines) {
            this.settings = settings;
            this.pools = new WorkerPools(deadlines);
            IOReactorConfig.Builder reactor = IOReactorConfig.custom()
                    .setIoThreadCount(IO_THREADS)
                    .setTcpNoDelay(true)
                    // the reactor looks at socket timeouts once per select interval: at its default of 1 s a
                    // timeout=1 fired after 1-2 s; httpd's fires after 1.0 s
                    .setSelectInterval(TimeValue.ofMilliseconds(100))
                    .setSoKeepAlive(settings.keepalive());
            if (settings.receiveBufferSize() > 0) {
                reactor.setRcvBufSize(settings.receiveBufferSize());
            }
            Http1Config http1 = Http1Settings.of(settings.maxLineLength(), settings.bufferSize(), settings.ping());
            // h2c:// and h2:// workers: no server push (a proxy has no one to give it to), the same read-ahead window
            H2Config h2 = H2Config.custom().setPushEnabled(false).setInitialWindowSize(BackendChannel.WINDOW).build();
            this.client = HttpAsyncClients.createMinimal(settings.version(), h2, http1,
                    reactor.build(), pools);
            client.start();
        }

        MinimalHttpAsyncClient client() {
            return client;
        }

        /**
         * Lets the reactor thread close its own selector first: closing it from outside while the thread
         * is still starting makes HttpClient log a ClosedSelectorException.
         */
        private void stop() {
            client.initiateShutdown();
            try {
                client.awaitShutdown(TimeValue.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close(CloseMode.IMMEDIATE);
        }
    }

    private final List<Reactor> reactors = new ArrayList<>();
    /** The lease deadlines of all reactors' pools: one thread, started by the first lease that has to wait. */
    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "portico-acquire-deadlines");
        t.setDaemon(true);
        return t;
    });

    BackendReactors() {
        deadlines.setRemoveOnCancelPolicy(true); // most leases get their connection long before the deadline
    }

    /**
     * The reactor for a worker's pool: a running one with the same settings, unless that one already
     * serves the same target (two workers differing only in their path keep apart pools).
     */
    synchronized Reactor attach(Settings settings, HttpHost target, AsyncClientConnectionManager pool) {
        for (Reactor r : reactors) {
            if (r.settings.equals(settings) && r.pools.add(target, pool)) {
                return r;
            }
        }
        Reactor r = new Reactor(settings, deadlines);
        r.pools.add(target, pool);
        reactors.add(r);
        return r;
    }

    /** Lets go of a worker's pool; a reactor left without pools stops. */
    synchronized void detach(Reactor r, HttpHost target, AsyncClientConnectionManager pool) {
        r.pools.remove(target, pool);
        if (r.pools.isEmpty() && reactors.remove(r)) {
            r.stop();
        }
    }

    synchronized int size() {
        return reactors.size();
    }

    @Override
    public synchronized void close() {
        for (Reactor r : reactors) {
            r.stop();
        }
        reactors.clear();
        deadlines.shutdownNow();
    }
}
