package org.portico.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.portico.config.BalancerConfig;
import org.portico.config.WorkerConfig;

/**
 * A {@code balancer://} at run time: its members' live state and the lbmethod that chooses among
 * them. Selection takes this balancer's lock for the few microseconds the lbmethod needs (httpd's
 * balancer mutex); nothing else on the request path locks.
 */
public final class Balancer {

    private final BalancerConfig config;
    private final List<Worker> members;
    private final LbMethod method;
    private final ReentrantLock selection = new ReentrantLock();

    public Balancer(BalancerConfig config, LbMethod method) {
        this.config = config;
        this.method = method;
        List<Worker> ws = new ArrayList<>();
        for (WorkerConfig m : config.members()) {
            ws.add(new Worker(m));
        }
        this.members = List.copyOf(ws);
    }

    public BalancerConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public List<Worker> members() {
        return members;
    }

    public LbMethod method() {
        return method;
    }

    /**
     * Chooses the member for a new request, or null when no member can serve (the caller answers 503).
     * Before choosing, applies httpd's force recovery: when every member is in error, all are retried.
     */
    public Worker select(long nowMillis) {
        selection.lock();
        try {
            forceRecovery(nowMillis);
            Worker w = method.find(members, nowMillis);
            if (w != null) {
                w.elected();
            }
            return w;
        } finally {
            selection.unlock();
        }
    }

    private void forceRecovery(long nowMillis) {
        boolean allInError = !members.isEmpty();
        for (Worker w : members) {
            if (w.has(org.portico.config.StatusFlag.IN_ERROR)) {
                w.retryIfDue(nowMillis);
            }
            if (!w.has(org.portico.config.StatusFlag.IN_ERROR)) {
                allInError = false;
            }
        }
        if (allInError && config.forceRecovery()) {
            for (Worker w : members) {
                w.set(org.portico.config.StatusFlag.IN_ERROR, false);
            }
        }
    }

    /** The lbmethod's reset (the manager does this when the method changes or a member is re-enabled). */
    public void resetLbMethod() {
        selection.lock();
        try {
            method.reset(members);
        } finally {
            selection.unlock();
        }
    }

    public Worker member(String name) {
        for (Worker w : members) {
            if (w.name().equalsIgnoreCase(name)) {
                return w;
            }
        }
        return null;
    }
}
