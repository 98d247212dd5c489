package org.portico.balancer;

import org.portico.config.BalancerConfig;

/**
 * Beyond httpd: the {@code Set-Cookie} that pins a client to the member it was just sent to, when the
 * request did not go where its route said (BALANCER_ROUTE_CHANGED). httpd leaves this to a mod_headers
 * recipe, {@code Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/"
 * env=BALANCER_ROUTE_CHANGED}; users asked for it to be automatic (spec §11), so that after a failover
 * the client sticks to its new member instead of being balanced afresh on every request.
 *
 * <p>The cookie is the balancer's sticky cookie. Its value keeps the session id in front of the
 * separator and replaces the route after it ({@code ABC.node1} becomes {@code ABC.node2}, as Tomcat's
 * JvmRouteBinderValve does), or is {@code .route} for a client without one (the manual's ROUTEID
 * recipe), or just the route with {@code stickysessionsep=Off}. A session value with no separator is
 * never overwritten: it is an application's session id, and tagging it would change it. Nor is a
 * value that would not be a valid cookie value.
 *
 * <p>Stateless: its functions read only their arguments.
 */
final class RouteCookie {

    private RouteCookie() {
    }

    /** The Set-Cookie header value for {@code s}, or null when none is due. */
    static String setCookie(BalancerConfig balancer, Selection s) {
        if (!s.chosen() || !s.routeChanged() || !balancer.sticky()) {
            return null;
        }
        String route = s.worker().config().params().route();
        if (route.isEmpty()) {
            return null;
        }
        char sep = balancer.separator();
        String value;
        if (sep == 0) {
            value = route;
        } else {
            StickyRoute session = s.session();
            String prefix = "";
            if (session != null) {
                int at = session.value().indexOf(sep);
                if (at < 0) {
                    return null;
                }
                prefix = session.value().substring(0, at).trim();
            }
            value = prefix + sep + route;
        }
        if (!isCookieValue(value)) {
            return null; // a header we could not write faithfully is better not written
        }
        return balancer.stickyCookie() + "=" + value + "; path=/"; // spelled as the manual's ROUTEID recipe
    }

    /** RFC 6265 cookie-octets only: no controls, whitespace, '"', ',', ';' or '\\'. */
    static boolean isCookieValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
