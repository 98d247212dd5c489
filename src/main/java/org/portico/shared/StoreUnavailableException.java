package org.portico.shared;

/** The store did not answer in time or refused the connection: nothing is known to be written. */
public final class StoreUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
