package org.portico.balancer;

/**
 * What went wrong with one attempt on a member, in the terms of httpd's retry loop (spec §6): the
 * status the scheme handler would return, and whether httpd would note a timeout
 * ({@code proxy_timedout}, which {@code failontimeout} acts on). The proxy maps its exceptions to these;
 * {@link FailoverPolicy} decides what they mean.
 */
public enum Failure {

    /** TCP connect refused or timed out, or the TLS handshake of a new connection failed: 503, fails over. */
    CONNECT_FAILED(503, false),
    /** No pooled connection free within {@code acquire}: 503, fails over. */
    ACQUIRE_TIMEOUT(503, false),
    /** No {@code 100 Continue} within {@code ping}: 503 "Timeout on 100-Continue", fails over; a timeout. */
    PING_TIMEOUT(503, true),
    /** The member's host name does not resolve: 500, the member goes into error, no failover. */
    DNS_FAILURE(500, false),
    /** No status line within {@code timeout}: 502; a timeout. */
    READ_TIMEOUT(502, true),
    /** The response could not be read or was malformed: 502. */
    BAD_RESPONSE(502, false),
    /** Sending the request body timed out: 504. */
    SEND_TIMEOUT(504, false);

    private final int status;
    private final boolean timedOut;

    Failure(int status, boolean timedOut) {
        this.status = status;
        this.timedOut = timedOut;
    }

    /** The status httpd's handler returns for it (and the client gets when there is no failover). */
    public int status() {
        return status;
    }

    /** Whether it sets httpd's {@code proxy_timedout} note, which {@code failontimeout} acts on. */
    public boolean timedOut() {
        return timedOut;
    }
}
