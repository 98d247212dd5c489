package org.portico.backend;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;

/**
 * How exchanges reach one worker: its connections, pooled and spoken in the worker's protocol. The proxy's
 * failover loop calls every channel the same way, whatever the protocol, with an HttpCore5 exchange
 * handler: the channel asks it for the request head and body and hands it the response head and body,
 * honouring the handler's capacity updates (backpressure) and calling {@code failed} when the exchange
 * cannot go on. Implementations are thread-safe; the handler's callbacks come on the channel's I/O threads.
 */
public interface BackendChannel extends AutoCloseable {

    /** The size of the reads that carry a response body; also the largest request body sent in one write. */
    int CHUNK = 32 * 1024;

    /**
     * Response bytes a channel may read ahead of the client: four chunks. This bounds what a slow client can
     * make Portico hold; the exchange grants more capacity only for bytes the container took.
     */
    int WINDOW = 4 * CHUNK;

    /**
     * Starts one exchange: leases (or opens) a connection within the worker's {@code acquire} and runs the
     * exchange on it. Failures, a lease that timed out included, reach {@code exchange.failed}.
     *
     * @return cancels the exchange (the connection is then closed, never reused)
     */
    Cancellable execute(AsyncClientExchangeHandler exchange);

    /**
     * Closes the connections idle now: one of them was found closed by the backend, so the others, opened to
     * the same member, are likely dead too, and the next exchange connects afresh.
     */
    void closeIdle();

    /**
     * Whether this channel is what {@code worker} under {@code settings} would open: a reload keeps the
     * channel (and its connections) of a worker whose connection settings did not change.
     */
    boolean sameAs(WorkerConfig worker, ProxySettings settings);

    /** Closes every connection at once; exchanges still running fail. */
    @Override
    void close();
}
