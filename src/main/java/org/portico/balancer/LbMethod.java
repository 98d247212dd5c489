package org.portico.balancer;

import java.util.List;

/**
 * A load-balancing method (httpd's lbmethod provider), found with {@link java.util.ServiceLoader}
 * so that a jar can add one. Implementations must be thread-safe; {@link #find} is called under the
 * balancer's selection lock, so it may update the workers' lbstatus without further locking.
 */
public interface LbMethod {

    /** The name used in {@code lbmethod=}, matched case-sensitively as httpd does. */
    String name();

    /**
     * Chooses a worker for a new request among {@code members} (configuration order), or returns
     * null when none can serve.
     */
    Worker find(List<Worker> members, long nowMillis);

    /** Forgets accumulated state, as httpd's reset does when the method changes or a worker is re-enabled. */
    default void reset(List<Worker> members) {
        for (Worker w : members) {
            w.lbstatus = 0;
        }
    }
}
