package org.portico.metrics;

import java.util.List;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;

/**
 * A balancer member as the metrics name it: the balancer's name and the member's URL, the labels of every
 * series and the keys of its MXBean's name. Stays the same across gateways, so a member's counters go on.
 */
record MemberKey(String balancer, String member) {

    static MemberKey of(Balancer b, Worker w) {
        return new MemberKey(b.name(), w.name());
    }

    /** The key of {@code worker} among {@code balancers}' members, or null when it is no member (a direct worker). */
    static MemberKey find(List<Balancer> balancers, Worker worker) {
        for (Balancer b : balancers) {
            for (Worker w : b.members()) {
                if (w == worker) {
                    return of(b, w);
                }
            }
        }
        return null;
    }
}
