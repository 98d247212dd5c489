package org.portico.proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's hold on the generation it started on ({@link LiveGateway#enter}): let go exactly once, when
 * the request ends: at the end of the servlet's {@code service} for a request answered there, else when its
 * asynchronous processing completes ({@link #handOver}). Thread-safe.
 */
final class GatewayHold implements AsyncListener {

    private final Gateway gateway;
    private final AtomicBoolean left = new AtomicBoolean();
    private volatile boolean handedOver;

    GatewayHold(Gateway gateway) {
        this.gateway = gateway;
    }

    Gateway gateway() {
        return gateway;
    }

    /** The request went asynchronous: it lets go when {@code async} completes, not when {@code service} returns. */
    void handOver(AsyncContext async) {
        async.addListener(this);
        handedOver = true;
    }

    /** Lets go, unless the request was handed over to its asynchronous completion. */
    void leaveUnlessHandedOver() {
        if (!handedOver) {
            leave();
        }
    }

    void leave() {
        if (left.compareAndSet(false, true)) {
            gateway.exit();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        leave();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // the container completes the request after this, and onComplete lets go
    }

    @Override
    public void onError(AsyncEvent event) {
        // as onTimeout
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this); // a new cycle keeps its listeners only when re-added
    }
}
