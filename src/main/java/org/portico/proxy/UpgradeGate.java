package org.portico.proxy;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands the end of an upgrade request back to the thread of its servlet's service method. A container
 * switches a connection only when the service method that called {@code upgrade} returns without having
 * gone async (Tomcat's processor looks for the upgrade there and nowhere else), so that thread waits for
 * the handshake, as an httpd worker thread does, and then runs the one step decided for it: switch the
 * connection, relay the backend's refusal, send an error page, or go async as an ordinary request.
 * The member's choice, the balancer's waits and failover run on their usual threads meanwhile.
 * Thread-safe; the first step handed over wins.
 */
final class UpgradeGate {

    /** What the service thread does once the handshake is decided. */
    interface Step {
        void run() throws IOException, ServletException;
    }

    private final CompletableFuture<Step> decided = new CompletableFuture<>();

    /** Hands {@code step} to the service thread; false when a step was handed over already (the caller goes on alone). */
    boolean finish(Step step) {
        return decided.complete(step);
    }

    /** Whether a step was handed over. */
    boolean finished() {
        return decided.isDone();
    }

    /**
     * Waits on the service thread for the step and runs it. Every path to a step is bounded by its own
     * timeouts (connect, the worker's timeout, the balancer's wait); {@code bound} is a safety net only,
     * after which {@code onTimeout} runs instead.
     */
    void await(Duration bound, Step onTimeout) throws IOException, ServletException {
        Step step;
        try {
            step = decided.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            step = decided.complete(onTimeout) ? onTimeout : decided.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            step = decided.complete(onTimeout) ? onTimeout : decided.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
        step.run();
    }
}
