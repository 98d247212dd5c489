package org.portico.balancer;

import java.util.ArrayList;
import java.util.List;
import org.portico.config.BalancerConfig;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;

/**
 * What one selection runs with, swapped whole by an edit: the configuration (its members are
 * {@code members}' configurations, in order), the members, the lbmethod and the failover rules; and the
 * steps of a selection on it. Immutable; the steps that change the members' live state ({@link #stick},
 * {@link #findBest}, {@link #forceRecovery}) run only under the balancer's selection lock.
 */
record BalancerState(BalancerConfig config, List<Worker> members, LbMethod method, FailoverPolicy failover) {

    /** The deadline of a first try, which starts the wait for a member. */
    static final long NO_DEADLINE_YET = Long.MIN_VALUE;

    /**
     * The state of {@code members} (their current configurations, except {@code edited}'s, which
     * becomes {@code editedConfig} when that is not null) on {@code base}'s settings.
     */
    static BalancerState of(BalancerConfig base, List<Worker> members, LbMethod method, Worker edited,
                            WorkerConfig editedConfig) {
        List<WorkerConfig> configs = new ArrayList<>(members.size());
        for (Worker w : members) {
            configs.add(w == edited && editedConfig != null ? editedConfig : w.config());
        }
        BalancerConfig config = BalancerConfigs.withMembers(base, List.copyOf(configs));
        return new BalancerState(config, List.copyOf(members), method, FailoverPolicy.of(config));
    }

    /** A member chosen by route or learned affinity: httpd's default lbstatus update, one election. */
    Selection stick(Worker w, StickyRoute session, boolean routeChanged) {
        method.updateLbStatus(members, w);
        w.countElection();
        return Selection.chosen(config.url(), w, session, routeChanged);
    }

    /** The lbmethod's choice, counted as an election; null when it found none. */
    Worker findBest(long nowMillis) {
        Worker w = method.find(members, nowMillis);
        if (w != null) {
            w.countElection();
        }
        return w;
    }

    /**
     * httpd's force_recovery: members are retried in order until one is found not in error; when none
     * is and {@code forcerecovery} is on, every member leaves the error state. A member that is D, S or C
     * but not E counts as "not in error".
     */
    void forceRecovery(long nowMillis) {
        for (Worker w : members) {
            if (!w.has(StatusFlag.IN_ERROR)) {
                return;
            }
            w.retryIfDue(nowMillis);
            if (!w.has(StatusFlag.IN_ERROR)) {
                return;
            }
        }
        if (config.forceRecovery()) {
            for (Worker w : members) {
                w.forceRecovery();
            }
        }
    }

    /**
     * The selection an lbmethod's choice makes: the member, or when it found none, {@code WAIT} while the
     * balancer's {@code timeout} lasts, else 503. Needs no lock.
     *
     * @param deadline when the wait ends; {@link #NO_DEADLINE_YET} on the first try, which starts it
     */
    Selection afterLbMethod(Worker chosen, StickyRoute session, long nowMillis, long deadline) {
        if (chosen != null) {
            return Selection.chosen(config.url(), chosen, session, config.sticky());
        }
        String reason = members.isEmpty() ? "No workers in balancer" : "All workers are in error state";
        long timeout = config.timeout() == null ? 0 : config.timeout().toMillis();
        if (timeout <= 0) {
            return Selection.unavailable(config.url(), session, reason);
        }
        long end = deadline == NO_DEADLINE_YET ? nowMillis + timeout : deadline;
        if (nowMillis >= end) {
            return Selection.unavailable(config.url(), session, reason);
        }
        long step = Math.max(1, timeout / 100);
        return Selection.waiting(config.url(), session, reason, Math.min(nowMillis + step, end), end);
    }
}
