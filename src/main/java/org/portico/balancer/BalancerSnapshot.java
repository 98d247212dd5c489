package org.portico.balancer;

import java.util.List;
import org.portico.config.BalancerConfig;

/**
 * A balancer as {@link Balancer#snapshot()} read it for the manager's views: settings, lbmethod, members
 * and their lbstatus from one moment between two selections, so the lbstatus values belong together.
 * Immutable (the members themselves are live: their other counters go on moving).
 *
 * @param config the configuration; its members are {@code members}' configurations
 * @param lbmethod the name of the lbmethod
 * @param members the members, in configuration order
 * @param lbstatus their lbstatus, in the same order
 */
public record BalancerSnapshot(BalancerConfig config, String lbmethod, List<Worker> members, List<Long> lbstatus) {

    public BalancerSnapshot {
        members = List.copyOf(members);
        lbstatus = List.copyOf(lbstatus);
        if (members.size() != lbstatus.size()) {
            throw new IllegalArgumentException(members.size() + " members but " + lbstatus.size() + " lbstatus values");
        }
    }

    /** The lbstatus {@code member} had in this snapshot. */
    public long lbstatus(Worker member) {
        int i = members.indexOf(member);
        if (i < 0) {
            throw new IllegalArgumentException(member + " is not a member of " + config.url());
        }
        return lbstatus.get(i);
    }
}
