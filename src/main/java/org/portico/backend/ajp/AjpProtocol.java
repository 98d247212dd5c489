package org.portico.backend.ajp;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.portico.backend.BackendChannel;
import org.portico.backend.BackendProtocol;
import org.portico.config.BackendScheme;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;

/**
 * AJP/1.3 backends ({@code ajp://}, mod_proxy_ajp): blocking connections, each exchange run on one thread of
 * a bounded pool shared by all AJP workers while it holds a connection, as httpd runs it on the request's
 * thread. Threads are started on demand, at most {@link #THREADS}, and end after a minute idle; exchanges
 * beyond that wait in order with their connection leased. Thread-safe.
 */
public final class AjpProtocol implements BackendProtocol {

    /** The most AJP exchanges running at once, over all AJP workers (Tomcat's maxThreads default). */
    static final int THREADS = Integer.getInteger("portico.ajp-threads", 200);

    /** What the channels of this protocol share. */
    record Shared(ThreadPoolExecutor executor, ScheduledExecutorService timer) {
    }

    private final Shared shared;

    public AjpProtocol() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemons("portico-ajp-"));
        executor.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons("portico-ajp-acquire-"));
        timer.setRemoveOnCancelPolicy(true); // most leases are granted long before their deadline
        this.shared = new Shared(executor, timer);
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public Set<BackendScheme> schemes() {
        return EnumSet.of(BackendScheme.AJP);
    }

    @Override
    public BackendChannel open(WorkerConfig worker, ProxySettings settings) {
        return new AjpChannel(worker, settings, shared);
    }

    @Override
    public void close() {
        shared.executor().shutdownNow();
        shared.timer().shutdownNow();
    }
}
