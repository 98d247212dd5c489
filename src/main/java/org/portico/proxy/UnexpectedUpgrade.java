package org.portico.proxy;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStatus;
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

    /** Throws for a 101 (what follows it is not HTTP); any other interim response passes. */
    static void refuse(HttpResponse interim) throws UnexpectedUpgrade {
        if (interim.getCode() == HttpStatus.SC_SWITCHING_PROTOCOLS) {
            Header upgrade = interim.getFirstHeader("Upgrade");
            throw new UnexpectedUpgrade(upgrade == null ? "" : upgrade.getValue());
        }
    }
}
