package org.portico.manager;

/**
 * A manager request that is not carried out, with the status to answer and a message that names the
 * field or the check and says what is allowed. Nothing of the request has been applied.
 */
final class EditRefused extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    EditRefused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** 400: a value out of range or malformed, an unknown member, no free slot. */
    static EditRefused badValue(String message) {
        return new EditRefused(400, message);
    }

    /** 403: a failed CSRF check (method, origin, nonce). */
    static EditRefused forbidden(String message) {
        return new EditRefused(403, message);
    }

    int status() {
        return status;
    }
}
