package org.portico.proxy;

import java.io.IOException;

/**
 * A failure on the client's side of an exchange (reading its body, writing the response to it),
 * wrapped so that it can travel through HttpClient's callbacks and still never be taken for the
 * backend's: it goes to {@link ProxyExchange#clientFailed} and never counts against the member.
 */
final class ClientSideException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean whileReading;

    private ClientSideException(String message, Throwable cause, boolean whileReading) {
        super(message, cause);
        this.whileReading = whileReading;
    }

    /** Reading the client's request body failed: a malformed body, or the client went away mid-body. */
    static ClientSideException readingBody(Throwable cause) {
        return new ClientSideException("reading the request body failed", cause, true);
    }

    /** Writing the response to the client failed: the client went away. */
    static ClientSideException writingResponse(Throwable cause) {
        return new ClientSideException("writing the response failed", cause, false);
    }

    /** The client was gone before the backend's response arrived: thrown to drop the backend connection. */
    static ClientSideException gone() {
        return new ClientSideException("the client is gone", null, false);
    }

    /** Whether the failure came while reading the request body (the client may still get a 400). */
    boolean whileReading() {
        return whileReading;
    }

    /** The client-side failure in the cause chain of {@code t} (itself included), or null. */
    static ClientSideException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ClientSideException cse) {
                return cse;
            }
        }
        return null;
    }

    /** What the client did or what happened to it, without our wrapper. */
    Throwable clientCause() {
        return getCause() == null ? this : getCause();
    }
}
