package org.portico.backend.ajp;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The response bytes an exchange may still hand to the proxy: the exchange's {@code CapacityChannel}
 * grants them from the container's threads as the client takes bytes, the connection's thread takes them
 * before each piece of body it delivers, waiting while none is left. This is the backpressure from client
 * to backend: a connection thread that has no credit stops reading the container's packets. Thread-safe.
 */
final class Credit {

    /** The exchange ended (cancelled, or the connection closed): no wait goes on. */
    static final class Cancelled extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("the exchange was cancelled");
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition granted = lock.newCondition();
    private long available;
    private boolean cancelled;

    Credit(int initial) {
        this.available = initial;
    }

    /** Adds {@code n} bytes of credit (saturating: Integer.MAX_VALUE means "read on"). */
    void grant(int n) {
        if (n <= 0) {
            return;
        }
        lock.lock();
        try {
            available = Math.min(Long.MAX_VALUE / 2, available + n);
            granted.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code max} bytes of credit, waiting up to {@code timeoutNanos} while there is none.
     *
     * @return the credit taken, more than 0; 0 when the wait ran out
     * @throws Cancelled when {@link #cancel()} came first
     */
    int take(int max, long timeoutNanos) throws Cancelled {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (available <= 0 && !cancelled) {
                if (left <= 0) {
                    return 0;
                }
                try {
                    left = granted.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Cancelled();
                }
            }
            if (cancelled) {
                throw new Cancelled();
            }
            int n = (int) Math.min(max, available);
            available -= n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Ends every wait, now and later, with {@link Cancelled}. */
    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            granted.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
