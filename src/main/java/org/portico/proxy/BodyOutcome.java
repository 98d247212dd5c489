package org.portico.proxy;

/**
 * What a body pump ({@link RequestBody}, {@link ResponseBody}) reports to the exchange it serves: the
 * seam that lets their tests run them without a container or a backend. Both methods may be called from
 * container threads and the I/O reactor, and must never block.
 */
interface BodyOutcome {

    /** Every byte of the backend's response has been handed to the container (P2C): the response can complete. */
    void responseDelivered();

    /** The client failed: its body could not be read, or the response could not be written to it. */
    void clientFailed(ClientSideException failure);
}
