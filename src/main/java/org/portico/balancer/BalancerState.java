package org.portico.balancer;

import java.util.ArrayList;
import java.util.List;
import org.portico.config.BalancerConfig;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;

/**
 * What one selection runs with, swapped whole by an edit: the configuration (its members are
 * {@code members}' configurations, in order), the members, the lbmethod and the failover rules; and the
 * steps of a selection on it. Immutable; the steps change the members' live state and run only under
 * the balancer's selection lock.
 */
record BalancerState(BalancerConfig config, List<Worker> members, LbMethod method, FailoverPolicy failover) {

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
}
