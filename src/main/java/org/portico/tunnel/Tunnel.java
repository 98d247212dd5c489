package org.portico.tunnel;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upgraded connection's life after the backend's 101: two {@link Pump}s, client to backend (C2S) and
 * backend to client (S2C), until both directions ended or one failed, as httpd's proxy tunnel does: the
 * end of one direction shuts the other end's output down (a half-close goes through), a failure closes
 * both ends, and no byte either way for the idle timeout closes both too. {@code onClosed} runs once, after
 * both ends are closed. Thread-safe.
 */
public final class Tunnel {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);

    private final String name;
    private final TunnelEnd client;
    private final TunnelEnd backend;
    private final long idleNanos;
    private final ScheduledExecutorService timer;
    private final Runnable onClosed;
    private final Pump c2s;
    private final Pump s2c;
    /** Directions still running; the tunnel closes when it reaches 0. */
    private final AtomicInteger open = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastActivity = System.nanoTime();
    private volatile ScheduledFuture<?> idleCheck;

    /**
     * @param name for log lines: the exchange and the worker
     * @param idleTimeout no byte either way for this long closes the tunnel (the worker's {@code timeout})
     * @param toBackend hears the size of each buffer written to the backend
     * @param toClient hears the size of each buffer written to the client
     * @param onClosed runs once when the tunnel closed (releases the worker's busy count)
     */
    public Tunnel(String name, TunnelEnd client, TunnelEnd backend, Duration idleTimeout, ScheduledExecutorService timer,
                  LongConsumer toBackend, LongConsumer toClient, Runnable onClosed) {
        this.name = name;
        this.client = client;
        this.backend = backend;
        this.idleNanos = idleTimeout.toNanos();
        this.timer = timer;
        this.onClosed = onClosed;
        this.c2s = new Pump(client, backend, n -> {
            lastActivity = System.nanoTime();
            toBackend.accept(n);
        }, cause -> directionEnded("C2S", backend, cause));
        this.s2c = new Pump(backend, client, n -> {
            lastActivity = System.nanoTime();
            toClient.accept(n);
        }, cause -> directionEnded("S2C", client, cause));
    }

    /** Starts both directions and the idle timer. */
    public void start() {
        LOG.debug("{} tunnel open", name);
        scheduleIdleCheck(idleNanos);
        c2s.start();
        s2c.start();
    }

    /** Whether the tunnel closed. */
    public boolean closed() {
        return closed.get();
    }

    private void directionEnded(String direction, TunnelEnd target, Throwable cause) {
        if (cause != null) {
            LOG.debug("{} {} failed: {}", name, direction, cause.toString());
            close();
            return;
        }
        LOG.debug("{} {} ended", name, direction);
        target.shutdownOutput();
        if (open.decrementAndGet() == 0) {
            close();
        }
    }

    private void scheduleIdleCheck(long delayNanos) {
        try {
            idleCheck = timer.schedule(this::checkIdle, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            close(); // shutting down
        }
    }

    private void checkIdle() {
        if (closed.get()) {
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle >= idleNanos) {
            LOG.info("{} tunnel idle for {} ms, the worker's timeout: closed", name, TimeUnit.NANOSECONDS.toMillis(idle));
            close();
        } else {
            scheduleIdleCheck(idleNanos - idle);
        }
    }

    /** Closes both ends (idempotent); {@code onClosed} runs once. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        c2s.stop();
        s2c.stop();
        ScheduledFuture<?> check = idleCheck;
        if (check != null) {
            check.cancel(false);
        }
        try {
            client.close();
        } finally {
            try {
                backend.close();
            } finally {
                LOG.debug("{} tunnel closed", name);
                onClosed.run();
            }
        }
    }
}
