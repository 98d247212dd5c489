package org.portico.balancer;

import java.util.List;
import org.portico.config.StatusFlag;

/**
 * httpd's find_route_worker (spec §5.6): the member a sticky route names. Non-standby members are
 * searched first, then hot standbys; a matching member that is unusable gets the retry check, and
 * failing that its {@code redirect} route is followed (at most as many hops as there are members, so
 * redirect cycles end). Called under the balancer's selection lock.
 */
final class RouteLookup {

    private RouteLookup() {
    }

    /** The usable member for {@code route}, or null. */
    static Worker find(List<Worker> members, String route, long nowMillis) {
        return find(members, route, nowMillis, 1);
    }

    private static Worker find(List<Worker> members, String route, long nowMillis, int depth) {
        for (int pass = 0; pass < 2; pass++) {
            boolean standbyPass = pass == 1;
            for (Worker w : members) {
                if (w.has(StatusFlag.HOT_STANDBY) != standbyPass || !routeIs(w, route)) {
                    continue;
                }
                if (w.usable() || w.retryIfDue(nowMillis)) {
                    return w;
                }
                String redirect = w.config().params().redirect();
                if (!redirect.isEmpty() && depth < members.size()) {
                    Worker r = find(members, redirect, nowMillis, depth + 1);
                    if (r != null) {
                        return r; // usable: find only returns usable members
                    }
                }
            }
        }
        return null;
    }

    /** Whether some member, in any state, has {@code route} (nofailover's test). */
    static boolean anyHas(List<Worker> members, String route) {
        for (Worker w : members) {
            if (routeIs(w, route)) {
                return true;
            }
        }
        return false;
    }

    private static boolean routeIs(Worker w, String route) {
        String own = w.config().params().route();
        return !own.isEmpty() && own.equals(route);
    }
}
