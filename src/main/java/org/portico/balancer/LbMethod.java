package org.portico.balancer;

import java.util.List;

/**
 * A load-balancing method (httpd's lbmethod provider), found with {@link java.util.ServiceLoader}
 * so that a jar can add one: list the class in
 * {@code META-INF/services/org.portico.balancer.LbMethod} and give it a public no-argument
 * constructor. {@link LbMethods} makes one instance per balancer.
 *
 * <p>Threading: every method here is called under the owning balancer's selection lock, so an
 * implementation may update its own fields without further locking, and sees the members' settings
 * and flags as one manager edit left them, never half-changed. It must not block (no sleeping, no
 * network I/O): the lock is held on the request path. The balancer gives each instance to one
 * balancer only; a manager edit that changes the method installs a new instance.
 */
public interface LbMethod {

    /** The name used in {@code lbmethod=}, matched case-sensitively as httpd does. */
    String name();

    /**
     * Chooses a worker for a new request among {@code members} (configuration order), or returns
     * null when none can serve. The balancer counts the election; the method must not touch busy.
     */
    Worker find(List<Worker> members, long nowMillis);

    /** Forgets accumulated state, as httpd's reset does when the method changes or a worker is re-enabled. */
    default void reset(List<Worker> members) {
        for (Worker w : members) {
            w.lbstatus(0);
        }
    }

    /**
     * Accounts for a request that a sticky route (not this method) sent to {@code chosen}. The default
     * is httpd's "default lbstatus update" (spec §4.1 step 3), which httpd applies to all its methods:
     * every usable member of every lbset gains its lbfactor, and the chosen one gives back the total.
     */
    default void updateLbStatus(List<Worker> members, Worker chosen) {
        long total = 0;
        for (Worker w : members) {
            if (w.usable()) {
                int factor = w.config().params().lbfactor();
                w.addLbstatus(factor);
                total += factor;
            }
        }
        chosen.addLbstatus(-total);
    }
}
