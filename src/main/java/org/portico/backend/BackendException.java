package org.portico.backend;

import java.io.IOException;
import org.portico.balancer.Failure;

/**
 * A failure whose meaning the backend protocol knows better than the exception's type: the status httpd's
 * handler for that protocol answers, and what the balancer makes of it. The proxy takes these as they are.
 */
public class BackendException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Failure kind;
    private final boolean reasonOnPage;

    /**
     * @param status what the client gets when no other member takes over
     * @param kind what the failure means to the balancer (whether it fails over, is a timeout)
     * @param reason for the error page and the log, as httpd's log line says it
     */
    public BackendException(int status, Failure kind, String reason, Throwable cause) {
        this(status, kind, reason, cause, true);
    }

    private BackendException(int status, Failure kind, String reason, Throwable cause, boolean reasonOnPage) {
        super(reason, cause);
        this.status = status;
        this.kind = kind;
        this.reasonOnPage = reasonOnPage;
    }

    /** A failure whose page is httpd's plain one for {@code status}: {@code reason} goes to the log only. */
    public static BackendException logOnly(int status, Failure kind, String reason, Throwable cause) {
        return new BackendException(status, kind, reason, cause, false);
    }

    public int status() {
        return status;
    }

    public Failure kind() {
        return kind;
    }

    /** Whether the error page shows the reason (as httpd's proxy errors do), or only the log has it. */
    public boolean reasonOnPage() {
        return reasonOnPage;
    }
}
