package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Locale;
import org.portico.balancer.Worker;

/** Whether a client's request asks to switch protocols, and whether its destination may let it. */
final class UpgradeRequest {

    private UpgradeRequest() {
    }

    /**
     * The protocol an HTTP/1.1 request asks to switch to ({@code Connection: Upgrade} and {@code Upgrade: token}),
     * or null. The Upgrade value is taken whole, as httpd compares it with the worker's {@code upgrade}.
     */
    static String token(HttpServletRequest c2p) {
        String upgrade = c2p.getHeader("Upgrade");
        if (upgrade == null || upgrade.isBlank() || !"HTTP/1.1".equals(c2p.getProtocol())) {
            return null;
        }
        for (Enumeration<String> values = c2p.getHeaders("Connection"); values != null && values.hasMoreElements(); ) {
            for (String t : values.nextElement().split(",")) {
                if (t.trim().toLowerCase(Locale.ROOT).equals("upgrade")) {
                    return upgrade.trim();
                }
            }
        }
        return null;
    }

    /** Whether the direct worker, or any member of the balancer, of {@code destination} allows {@code token}. */
    static boolean mayAllow(Gateway.Destination destination, String token) {
        if (destination.balancer() == null) {
            return destination.worker().config().upgrade().allows(token);
        }
        for (Worker w : destination.balancer().members()) {
            if (w.config().upgrade().allows(token)) {
                return true;
            }
        }
        return false;
    }
}
