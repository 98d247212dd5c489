package org.portico.backend.ajp;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request body's "more is ready" signal: the exchange's producer calls {@code requestOutput()} from a
 * container thread when client bytes arrived, the connection's thread waits for it when the producer had
 * nothing to give. A signal that comes before the wait is kept, so none is lost. Thread-safe.
 */
final class Wakeup {

    private enum State { IDLE, SIGNALLED, CANCELLED }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private State state = State.IDLE;

    /** Wakes the waiter, or the next wait when nobody waits now. */
    void signal() {
        lock.lock();
        try {
            if (state == State.IDLE) {
                state = State.SIGNALLED;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for a signal and consumes it.
     *
     * @return true when signalled, false when the wait ran out
     * @throws Credit.Cancelled when cancelled
     */
    boolean await(long timeoutNanos) throws Credit.Cancelled {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (state == State.IDLE) {
                if (left <= 0) {
                    return false;
                }
                try {
                    left = changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Credit.Cancelled();
                }
            }
            if (state == State.CANCELLED) {
                throw new Credit.Cancelled();
            }
            state = State.IDLE;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Consumes a pending signal without waiting; returns whether there was one. */
    boolean poll() {
        lock.lock();
        try {
            if (state == State.SIGNALLED) {
                state = State.IDLE;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Ends every wait, now and later. */
    void cancel() {
        lock.lock();
        try {
            state = State.CANCELLED;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
