package org.portico.proxy;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.portico.backend.BackendChannel;
import org.portico.backend.BackendProtocols;
import org.portico.balancer.Balancer;
import org.portico.balancer.LbMethods;
import org.portico.config.Descriptor;
import org.portico.health.HealthChecks;
import org.portico.tunnel.Tunnels;

/**
 * What every generation of one running proxy shares ({@link Gateway#next}): the backend protocols, the
 * scheduler of delayed exchange work, the lbmethods, the health checks (which follow the newest generation's
 * balancers) and the connection pools, each counted by the generations that use it and closed when the last
 * of them lets go. Thread-safe.
 */
final class SharedRuntime implements AutoCloseable {

    final BackendProtocols protocols;
    final LbMethods lbMethods;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portico-scheduler");
        t.setDaemon(true);
        return t;
    });
    /** The upgrade tunnels' backend sockets (threads made on the first tunnel) and their timer. */
    final Tunnels tunnels = new Tunnels(Math.max(2, Runtime.getRuntime().availableProcessors()), scheduler);
    /** mod_proxy_hcheck: idle until started; checks the members of the newest generation. */
    final HealthChecks health;
    /** The balancers of the newest generation, which the health checks walk. */
    private volatile List<Balancer> newest = List.of();
    /** Each pool and how many generations hold it. Guarded by itself. */
    private final Map<BackendChannel, Integer> holders = new IdentityHashMap<>();
    private boolean closed;

    SharedRuntime(Descriptor first, LbMethods lbMethods, BackendProtocols protocols) {
        this.lbMethods = lbMethods;
        this.protocols = protocols;
        this.health = new HealthChecks(() -> newest, first.settings(), first.hcExprs(), first.settings().hcThreads());
    }

    /** Makes {@code balancers} the ones health checks look at, from the next watchdog tick on. */
    void publish(List<Balancer> balancers) {
        newest = List.copyOf(balancers);
    }

    /** One more generation holds {@code client}. */
    void retain(BackendChannel client) {
        synchronized (holders) {
            holders.merge(client, 1, Integer::sum);
        }
    }

    /** A generation lets go of {@code client}; the last one to do so closes it. */
    void release(BackendChannel client) {
        boolean last;
        synchronized (holders) {
            Integer n = holders.get(client);
            last = n != null && n <= 1;
            if (last) {
                holders.remove(client);
            } else if (n != null) {
                holders.put(client, n - 1);
            }
        }
        if (last) {
            client.close();
        }
    }

    /** How many pools are open (for tests: a removed member's pool closes once its requests ended). */
    int openPools() {
        synchronized (holders) {
            return holders.size();
        }
    }

    /** Stops the health checks and the scheduler and closes every pool and reactor. */
    @Override
    public void close() {
        List<BackendChannel> all;
        synchronized (holders) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(holders.keySet());
            holders.clear();
        }
        health.close();
        tunnels.close();
        scheduler.shutdownNow();
        for (BackendChannel c : all) {
            c.close();
        }
        protocols.close();
    }
}
