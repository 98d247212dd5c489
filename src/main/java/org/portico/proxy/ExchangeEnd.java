package org.portico.proxy;

import jakarta.servlet.AsyncContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.portico.balancer.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one exchange ends: one caller claims the end and decides it, the worker's busy count is released
 * once, and the client's async request is completed or dispatched back to the container. Thread-safe;
 * never blocks.
 */
final class ExchangeEnd {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeEnd.class);

    private final long id;
    private final Worker worker;
    private final AsyncContext async;
    /** Runs once, right after the worker's busy count went down (the exchange listener's hook). */
    private final Runnable onRelease;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicBoolean workerReleased = new AtomicBoolean();

    ExchangeEnd(long id, Worker worker, AsyncContext async, Runnable onRelease) {
        this.id = id;
        this.worker = worker;
        this.async = async;
        this.onRelease = onRelease;
    }

    /** Claims the end of the exchange: true for the one caller that decides it, false for everyone after. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Whether the end was claimed already. */
    boolean claimed() {
        return claimed.get();
    }

    /** Claims the end and, when this caller got it, completes the client's response. */
    void completeOnce() {
        if (claim()) {
            completeClientResponse();
        }
    }

    /**
     * Releases the worker and completes the client's async request. The busy count goes first: the client's
     * next request, which may come as soon as this response completes, must be balanced on it (spec §12.10).
     */
    void completeClientResponse() {
        releaseWorker();
        try {
            async.complete();
        } catch (IllegalStateException e) {
            LOG.debug("#{} async already completed", id);
        }
    }

    /** Releases the worker and ends the request through an async dispatch, whose outcome the container handles. */
    void dispatchToContainer() {
        releaseWorker();
        try {
            async.dispatch();
        } catch (IllegalStateException e) {
            LOG.debug("#{} dispatch failed", id, e);
        }
    }

    /** Takes this attempt off the worker's busy count, once; the request may go on with another attempt. */
    void releaseWorker() {
        if (workerReleased.compareAndSet(false, true)) {
            worker.requestEnded();
            onRelease.run();
        }
    }
}
