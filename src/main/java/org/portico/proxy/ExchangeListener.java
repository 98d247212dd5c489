package org.portico.proxy;

import org.portico.balancer.Failure;
import org.portico.balancer.Worker;

/**
 * Hears every exchange with a backend worker end (one attempt of a client's request), for monitoring.
 * Called once per exchange on the thread that ended it (an I/O, container or scheduler thread), after the
 * worker's busy count went down: an implementation must be thread-safe, quick, and never block or throw.
 */
public interface ExchangeListener {

    /** Hears nothing. */
    ExchangeListener NONE = (worker, end) -> { };

    void ended(Worker worker, End end);

    /**
     * How one exchange ended.
     *
     * @param status the backend's status when its response head arrived, else 0
     * @param failure how the backend side failed (before or after the response head), or null
     * @param clientAborted the client went away, or its request body failed
     * @param elapsedNanos from the exchange's start to its end (the last body byte handed to the container)
     */
    record End(int status, Failure failure, boolean clientAborted, long elapsedNanos) {
    }
}
