package org.portico.health;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.portico.balancer.Balancer;
import org.portico.balancer.OutcomeListener;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.StatusFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health for one balancer, beyond httpd ({@code eject-after="N in WINDOW"}): a member that
 * fails N times (no connection, or a 5xx answer) within WINDOW is put into error state, as a failed
 * request does in httpd, so it takes no traffic until its {@code retry} time has passed (or a health
 * check finds it well). Never more than half of the balancer's members are ejected at once: past that
 * the failures are logged and the member stays. Thread-safe; {@link #failed} and {@link #responded}
 * are called on I/O threads and take a short lock per member, and one for the balancer only when a
 * member is about to be ejected.
 */
public final class OutlierEjection implements OutcomeListener {

    private static final Logger LOG = LoggerFactory.getLogger(OutlierEjection.class);

    /** One ejection: when, until when at the latest, and why. */
    public record Ejected(long atMillis, long untilMillis, String reason) {
    }

    private final Balancer balancer;
    private final BalancerConfig.Ejection policy;
    private final Map<Worker, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final Map<Worker, Ejected> ejected = new ConcurrentHashMap<>();

    public OutlierEjection(Balancer balancer, BalancerConfig.Ejection policy) {
        this.balancer = balancer;
        this.policy = policy;
    }

    @Override
    public void failed(Worker member, long nowMillis) {
        count(member, nowMillis, "no usable connection or response");
    }

    @Override
    public void responded(Worker member, int status, long nowMillis) {
        if (status >= 500) {
            count(member, nowMillis, "answered " + status);
        }
    }

    private void count(Worker member, long now, String last) {
        Deque<Long> times = failures.computeIfAbsent(member, k -> new ArrayDeque<>());
        synchronized (times) {
            long from = now - policy.window().toMillis();
            while (!times.isEmpty() && times.peekFirst() < from) {
                times.pollFirst();
            }
            times.addLast(now);
            if (times.size() < policy.failures()) {
                return;
            }
            times.clear(); // the next ejection (or warning) needs N fresh failures
        }
        eject(member, now, policy.failures() + " failures in " + policy.window().toMillis() + " ms, the last: " + last);
    }

    private synchronized void eject(Worker member, long now, String reason) {
        if (ejected(member, now) != null) {
            return;
        }
        int members = balancer.members().size();
        int active = 0;
        for (Worker w : balancer.members()) {
            if (ejected(w, now) != null) {
                active++;
            }
        }
        String where = member.name() + " in " + balancer.config().url();
        if ((active + 1) * 2 > members) {
            LOG.warn("outlier ejection: {} not ejected ({}): {} of {} members are ejected already, at most half may be",
                    where, reason, active, members);
            return;
        }
        String from = member.statusString().trim();
        member.markError(now);
        if (!member.has(StatusFlag.IN_ERROR)) {
            return; // it ignores errors (I)
        }
        long retry = member.config().params().retry().toMillis();
        ejected.put(member, new Ejected(now, now + retry, reason));
        LOG.warn("outlier ejection: {}: {} -> {}: {}; back after retry {} ms", where, from, member.statusString().trim(),
                reason, retry);
    }

    /** The ejection of {@code member} in force at {@code nowMillis}, or null. */
    public Ejected ejected(Worker member, long nowMillis) {
        Ejected e = ejected.get(member);
        if (e == null || nowMillis >= e.untilMillis() || !member.has(StatusFlag.IN_ERROR)) {
            return null;
        }
        return e;
    }
}
