package org.portico.fidelity;

/**
 * What a scenario's comparison leaves aside, besides what always is (Date, Server, Connection,
 * Keep-Alive, port numbers, header-name case and order). The defaults hide differences that have
 * scenarios of their own, so that one known bug does not mask the rest of every scenario.
 */
public enum Normaliser {
    /** {@code text/plain;charset=utf-8} counts as {@code text/plain; charset=UTF-8} (the spelling has its own scenarios). */
    CONTENT_TYPE_SPACING,
    /** The status line is reduced to its code: the reason phrase is not compared. */
    REASON_PHRASE,
    /**
     * A response the proxy made itself (no X-Backend header) is compared by status and headers only:
     * its body, Content-Type, Content-Length and Cache-Control are left out (the error pages have scenarios
     * of their own, which show Jetty's {@code Cache-Control: must-revalidate,no-cache,no-store} too).
     */
    ERROR_PAGE_TEXT,
    /**
     * Each response is reduced to its status and the member that answered (X-Backend), and what the
     * backends received is not listed: for balancer sequences, where the order of members is the point.
     */
    SEQUENCE
}
