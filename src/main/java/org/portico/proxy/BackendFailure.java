package org.portico.proxy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.portico.balancer.Failure;

/**
 * What a failed exchange with a backend means for the client, following httpd's table (spec §6):
 * the status, the reason shown on the error page, and whether the worker should go into error state.
 */
record BackendFailure(int status, String reason, Failure kind) {

    /** Whether the attempt never reached the backend (no connection): the worker goes into error state. */
    boolean connectPhase() {
        return kind == Failure.CONNECT_FAILED || kind == Failure.ACQUIRE_TIMEOUT || kind == Failure.DNS_FAILURE;
    }

    /**
     * @param requestSent whether the request head had been handed to HttpClient. The minimal client asks
     *        for the head before it leases and connects, so this does not prove a connection: connect-phase
     *        failures are recognised by their type, wherever they sit in the cause chain.
     * @param bodyComplete whether the whole request body had been sent
     */
    static BackendFailure classify(Throwable cause, boolean requestSent, boolean bodyComplete) {
        Throwable tls = find(cause, SSLException.class);
        if (tls != null) {
            return new BackendFailure(502, "TLS handshake with the backend failed: " + tls.getMessage(), Failure.BAD_RESPONSE);
        }
        Throwable dns = find(cause, UnknownHostException.class);
        if (dns != null) {
            return new BackendFailure(500, "DNS lookup failure for: " + dns.getMessage(), Failure.DNS_FAILURE);
        }
        Throwable connect = find(cause, ConnectException.class, NoRouteToHostException.class, ConnectTimeoutException.class);
        if (connect != null) {
            return new BackendFailure(503, "failed to make connection to backend: " + describe(connect), Failure.CONNECT_FAILED);
        }
        if (find(cause, TimeoutException.class) != null) {
            // socket read timeouts are SocketTimeoutExceptions; a TimeoutException is the pool's lease deadline
            return new BackendFailure(503, "timed out waiting for a pooled connection (acquire)", Failure.ACQUIRE_TIMEOUT);
        }
        if (!requestSent) {
            return new BackendFailure(503, "failed to make connection to backend: " + describe(root(cause)), Failure.CONNECT_FAILED);
        }
        if (find(cause, SocketTimeoutException.class) != null) {
            return bodyComplete
                    ? new BackendFailure(502, "Error reading from remote server (timeout)", Failure.READ_TIMEOUT)
                    : new BackendFailure(504, "timeout sending the request body to the backend", Failure.SEND_TIMEOUT);
        }
        Throwable protocol = find(cause, HttpException.class);
        if (protocol != null && String.valueOf(protocol.getMessage()).startsWith("Invalid header")) {
            // httpd answers a bad header line with a plain "502 Bad Gateway" page, without a reason
            return new BackendFailure(502, null, Failure.BAD_RESPONSE);
        }
        if (protocol != null) {
            return new BackendFailure(502, "Corrupt response from remote server: " + protocol.getMessage(), Failure.BAD_RESPONSE);
        }
        return new BackendFailure(502, "Error reading from remote server", Failure.BAD_RESPONSE);
    }

    /** The first throwable in the cause chain of {@code t} (itself included) that is one of {@code types}. */
    @SafeVarargs
    private static Throwable find(Throwable t, Class<? extends Throwable>... types) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(c)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static Throwable root(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
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
