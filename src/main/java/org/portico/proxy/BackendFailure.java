package org.portico.proxy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.HttpException;

/**
 * What a failed exchange with a backend means for the client, following httpd's table (spec §6):
 * the status, the reason shown on the error page, and whether the worker should go into error state.
 */
record BackendFailure(int status, String reason, boolean connectPhase) {

    /**
     * @param requestSent whether the request head had gone out (a connection was established)
     * @param bodyComplete whether the whole request body had been sent
     */
    static BackendFailure classify(Throwable cause, boolean requestSent, boolean bodyComplete) {
        Throwable c = unwrap(cause);
        if (c instanceof SSLException) {
            return new BackendFailure(502, "TLS handshake with the backend failed: " + c.getMessage(), false);
        }
        if (!requestSent) {
            if (c instanceof UnknownHostException) {
                return new BackendFailure(500, "DNS lookup failure for: " + c.getMessage(), true);
            }
            if (c instanceof TimeoutException && !(c instanceof ConnectTimeoutException)) {
                return new BackendFailure(503, "timed out waiting for a pooled connection (acquire)", true);
            }
            return new BackendFailure(503, "failed to make connection to backend: " + describe(c), true);
        }
        if (c instanceof SocketTimeoutException || c instanceof TimeoutException) {
            return bodyComplete
                    ? new BackendFailure(502, "Error reading from remote server (timeout)", false)
                    : new BackendFailure(504, "timeout sending the request body to the backend", false);
        }
        if (c instanceof HttpException) {
            return new BackendFailure(502, "Corrupt response from remote server: " + c.getMessage(), false);
        }
        return new BackendFailure(502, "Error reading from remote server", false);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c
                && !(c instanceof ConnectException) && !(c instanceof SSLException) && !(c instanceof HttpException)) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable c) {
        if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof ConnectTimeoutException) {
            return c.getMessage();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
