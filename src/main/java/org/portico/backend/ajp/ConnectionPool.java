package org.portico.backend.ajp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * One worker's connections: at most {@code max} open at a time (leased or idle), idle ones reused newest
 * first and dropped once idle past {@code ttl}, and requests that find all taken waiting in order up to their
 * {@code acquire} deadline, which a timer enforces (httpd answers 503 when it passes). A lease grants either
 * an idle connection or the right to open a new one. Thread-safe; the callbacks run outside the pool's lock.
 *
 * @param <C> the connection type
 */
final class ConnectionPool<C extends AutoCloseable> {

    /** Who asked for a connection. Exactly one of the two is called, once. */
    interface Waiter<C> {
        /** @param idle a pooled connection, or null: open a new one (the slot is already counted) */
        void granted(C idle);

        void refused(Exception why);
    }

    /** A lease in progress; {@link #cancel()} withdraws it if still waiting. */
    interface Pending {
        void cancel();
    }

    private record Idle<C>(C connection, long sinceNanos) {
    }

    private final class Wait implements Pending {
        final Waiter<C> waiter;
        ScheduledFuture<?> deadline;

        Wait(Waiter<C> waiter) {
            this.waiter = waiter;
        }

        @Override
        public void cancel() {
            boolean removed;
            synchronized (ConnectionPool.this) {
                removed = waiting.remove(this);
            }
            if (removed && deadline != null) {
                deadline.cancel(false);
            }
        }

        void expire(long acquireMillis) {
            boolean removed;
            synchronized (ConnectionPool.this) {
                removed = waiting.remove(this);
            }
            if (removed) {
                waiter.refused(new TimeoutException("no AJP connection became free within acquire=" + acquireMillis + " ms"));
            }
        }
    }

    private final int max;
    private final long ttlNanos;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final Deque<Idle<C>> idle = new ArrayDeque<>();
    private final Deque<Wait> waiting = new ArrayDeque<>();
    private int leased;
    private boolean closed;

    /** @param ttl how long a connection may sit idle, or null for no limit */
    ConnectionPool(int max, Duration ttl, ScheduledExecutorService timer, LongSupplier nanoClock) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
        this.ttlNanos = ttl == null ? Long.MAX_VALUE : ttl.toNanos();
        this.timer = timer;
        this.nanoClock = nanoClock;
    }

    /**
     * Asks for a connection: granted at once when one is idle or a slot is free, else when one comes back,
     * refused with a {@link TimeoutException} after {@code acquireMillis}.
     */
    Pending lease(long acquireMillis, Waiter<C> waiter) {
        C reuse = null;
        boolean grant = false;
        Wait wait = null;
        Exception refusal = null;
        synchronized (this) {
            if (closed) {
                refusal = new IllegalStateException("the pool is closed");
            } else {
                reuse = takeIdle();
                if (reuse != null || leased + idle.size() < max) {
                    leased++;
                    grant = true;
                } else {
                    wait = new Wait(waiter);
                    waiting.add(wait);
                }
            }
        }
        if (refusal != null) {
            waiter.refused(refusal);
            return () -> { };
        }
        if (grant) {
            waiter.granted(reuse);
            return () -> { };
        }
        Wait w = wait;
        w.deadline = timer.schedule(() -> w.expire(acquireMillis), acquireMillis, TimeUnit.MILLISECONDS);
        return w;
    }

    /** The newest idle connection within its ttl; older ones past it are closed. Holds the lock. */
    private C takeIdle() {
        long now = nanoClock.getAsLong();
        while (!idle.isEmpty()) {
            Idle<C> i = idle.pollFirst();
            if (now - i.sinceNanos() <= ttlNanos) {
                return i.connection();
            }
            closeQuietly(i.connection());
        }
        return null;
    }

    /**
     * Gives a leased connection (or the slot of one that was never opened, {@code connection} null) back:
     * to the first waiter, else to the idle ones when {@code reusable}, else it is closed.
     */
    void release(C connection, boolean reusable) {
        Wait next;
        C handOver = null;
        boolean close = false;
        synchronized (this) {
            leased--;
            boolean keep = reusable && connection != null && !closed;
            close = connection != null && !keep;
            next = waiting.pollFirst();
            if (next != null) {
                leased++;
                handOver = keep ? connection : null;
            } else if (keep) {
                idle.addFirst(new Idle<>(connection, nanoClock.getAsLong()));
            }
        }
        if (close) {
            closeQuietly(connection);
        }
        if (next != null) {
            if (next.deadline != null) {
                next.deadline.cancel(false);
            }
            next.waiter.granted(handOver);
        }
    }

    /** Closes the idle connections. */
    void closeIdle() {
        Deque<Idle<C>> drop;
        synchronized (this) {
            drop = new ArrayDeque<>(idle);
            idle.clear();
        }
        drop.forEach(i -> closeQuietly(i.connection()));
    }

    /** Closes the idle connections, refuses the waiting leases and every later one; leased ones close on release. */
    void close() {
        Deque<Wait> refuse;
        synchronized (this) {
            closed = true;
            refuse = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        closeIdle();
        for (Iterator<Wait> it = refuse.iterator(); it.hasNext(); ) {
            Wait w = it.next();
            if (w.deadline != null) {
                w.deadline.cancel(false);
            }
            w.waiter.refused(new IllegalStateException("the pool was closed"));
        }
    }

    synchronized int leased() {
        return leased;
    }

    synchronized int idle() {
        return idle.size();
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // a connection being dropped: nothing to do about its close failing
        }
    }
}
