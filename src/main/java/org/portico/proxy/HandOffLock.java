package org.portico.proxy;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock around a body's state, shared by HttpClient's I/O reactor and the servlet container,
 * arranged so that container threads never wait for it.
 *
 * <p>Why: a container runs ReadListener and WriteListener callbacks while it holds its own lock on
 * the connection (Tomcat's socket wrapper lock), and the reactor, holding this lock, calls container
 * methods that may need that one ({@code isReady()}, {@code read()}, {@code write()}). A callback
 * that waited here would deadlock with the reactor. So a callback that finds this lock taken hands
 * its work to the holder, which runs it before it lets go.
 *
 * <p>Contract: {@link #lock()} only on threads that hold no container lock (the reactor);
 * container callbacks use {@link #runOrHandOff}. Handed-off work runs under the lock, on whichever
 * thread holds it, never nested inside another critical section. Thread-safe.
 */
final class HandOffLock {

    /** Work done under the lock; it may fail with the container's I/O exceptions. */
    interface Work {
        void run() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Queue<Work> handedOff;

    HandOffLock() {
        this(new ConcurrentLinkedQueue<>());
    }

    /** With the queue of handed-off work given: tests pass one that opens the windows of {@link #unlock()}. */
    HandOffLock(Queue<Work> handedOff) {
        this.handedOff = handedOff;
    }

    /** Whether the lock is free and no work is left waiting in it. */
    boolean idle() {
        return !lock.isLocked() && handedOff.isEmpty();
    }

    /** Waits for the lock. */
    void lock() {
        lock.lock();
    }

    /**
     * Runs the work handed off meanwhile, then lets go; work handed off while letting go is picked up
     * again, so none is left behind. A failing piece of work, checked or not, neither stops the rest
     * nor keeps the lock: a holder that kept it would leave the reactor waiting for it forever.
     *
     * @throws IOException the first failure of handed-off work, once the lock is released (an
     *                     unchecked first failure is thrown as it is; later ones are suppressed in it)
     */
    void unlock() throws IOException {
        Throwable failure = null;
        do {
            if (lock.getHoldCount() == 1) {
                for (Work w = handedOff.poll(); w != null; w = handedOff.poll()) {
                    try {
                        w.run();
                    } catch (IOException | RuntimeException | Error e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
            }
            lock.unlock();
        } while (!lock.isHeldByCurrentThread() && !handedOff.isEmpty() && lock.tryLock());
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /**
     * For container callbacks: runs {@code work} now if the lock is free, else leaves it to the thread
     * that holds the lock. Never waits.
     *
     * @throws IOException when the work ran here and failed (or other handed-off work did)
     */
    void runOrHandOff(Work work) throws IOException {
        handedOff.add(work);
        if (!lock.isHeldByCurrentThread() && lock.tryLock()) {
            unlock();
        }
    }
}
