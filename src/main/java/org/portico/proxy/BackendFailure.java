package org.portico.proxy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.portico.backend.BackendException;
import org.portico.balancer.Failure;

/**
 * What a failed exchange with a backend means for the client, following httpd's table (spec §6):
 * the status, the reason shown on the error page, and whether the worker should go into error state.
 */
record BackendFailure(int status, String reason, Failure kind) {

    /**
     * Whether the attempt never reached the backend (no connection), or the backend got the request head
     * and stayed silent past its ping (the body never left): the worker goes into error state, and the
     * request may go to another member.
     */
    boolean connectPhase() {
        return kind == Failure.CONNECT_FAILED || kind == Failure.ACQUIRE_TIMEOUT || kind == Failure.DNS_FAILURE
                || kind == Failure.PING_TIMEOUT;
    }

    /**
     * @param requestSent whether the request head had been handed to HttpClient. The minimal client asks
     *        for the head before it leases and connects, so this does not prove a connection: connect-phase
     *        failures are recognised by their type, wherever they sit in the cause chain.
     * @param bodyComplete whether the whole request body had been sent
     */
    static BackendFailure classify(Throwable cause, boolean requestSent, boolean bodyComplete) {
        Throwable known = find(cause, BackendException.class);
        if (known instanceof BackendException b) {
            return new BackendFailure(b.status(), b.reasonOnPage() ? b.getMessage() : null, b.kind());
        }
        Throwable upgrade = find(cause, UnexpectedUpgrade.class);
        if (upgrade != null) {
            return new BackendFailure(502, upgrade.getMessage(), Failure.BAD_RESPONSE);
        }
        if (find(cause, ContinueProbe.Timeout.class) != null) {
            return new BackendFailure(503, "Timeout on 100-Continue", Failure.PING_TIMEOUT);
        }
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
        if (!requestSent || find(cause, RequestNotExecutedException.class) != null) {
            // a pooled connection found closed again and again (see resendable): the member is not reachable
            return new BackendFailure(503, "failed to make connection to backend: " + describe(root(cause)), Failure.CONNECT_FAILED);
        }
        if (find(cause, SocketTimeoutException.class) != null) {
            return bodyComplete
                    ? new BackendFailure(502, "Error reading from remote server", Failure.READ_TIMEOUT)
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

    /** The methods httpd sends again when a kept-alive connection failed before any answer. */
    private static final Set<String> REPEATABLE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /** Whether a request may go again after its connection failed before any answer: a repeatable method, no body. */
    static boolean idempotentWithoutBody(String method, boolean hasBody) {
        return !hasBody && REPEATABLE.contains(method);
    }

    /**
     * Whether a request that failed before any of its answer arrived may go out again on a fresh connection
     * to the same worker, without blaming the member: HttpClient found the pooled connection closed before
     * the request left ({@code RequestNotExecutedException}, whatever the method), or a request that is
     * idempotent and has no body met a connection closed or reset before the status line (a member going
     * down, a keep-alive connection the backend closed as we reused it). Never timeouts, connect failures
     * (the balancer's failover handles those) or protocol errors.
     */
    static boolean resendable(Throwable cause, boolean idempotentWithoutBody) {
        if (find(cause, RequestNotExecutedException.class) != null) {
            return true;
        }
        if (!idempotentWithoutBody || find(cause, SSLException.class, HttpException.class, SocketTimeoutException.class,
                TimeoutException.class, ConnectException.class, NoRouteToHostException.class,
                ConnectTimeoutException.class, UnknownHostException.class) != null) {
            return false;
        }
        return find(cause, ConnectionClosedException.class, SocketException.class) != null;
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
