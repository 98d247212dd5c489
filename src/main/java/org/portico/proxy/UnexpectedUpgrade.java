package org.portico.proxy;

import org.apache.hc.core5.http.ProtocolException;

/**
 * A backend answered 101 to a request that was not to switch protocols (no upgrade asked, or one its
 * worker does not allow): httpd fails such an exchange with 502 and this reason.
 */
final class UnexpectedUpgrade extends ProtocolException {

    private static final long serialVersionUID = 1L;

    UnexpectedUpgrade(String upgrade) {
        super("Unexpected Upgrade: " + upgrade + " (expecting n/a)");
    }
}
