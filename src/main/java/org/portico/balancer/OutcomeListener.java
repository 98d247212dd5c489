package org.portico.balancer;

/**
 * Hears how each attempt on a balancer's member ended, for passive health (outlier ejection). Called
 * by {@link Attempts} on the thread that finished the attempt (an I/O or scheduler thread), so an
 * implementation must be thread-safe, quick and never block.
 */
public interface OutcomeListener {

    /** An attempt on {@code member} failed (no connection, or no usable response). */
    void failed(Worker member, long nowMillis);

    /** {@code member}'s response went to the client with {@code status}. */
    void responded(Worker member, int status, long nowMillis);
}
