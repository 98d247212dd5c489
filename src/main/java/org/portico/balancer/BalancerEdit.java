package org.portico.balancer;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.portico.config.BalancerConfig;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;

/**
 * One balancer-manager edit of a running balancer, as a value: a member to add, new balancer settings
 * (with a new lbmethod when the method changes), and new settings and status flags for one member.
 * {@link Balancer#apply} applies all of it under one acquisition of the balancer's lock and publishes
 * the result in one swap, so that a selection sees the balancer as it was before the edit or as it is
 * after it, never in between. Immutable (the lbmethod instance is handed over to the balancer).
 *
 * @param newMember the configuration of a member to add (see {@link AddedMember#config}), or null
 * @param settings new balancer settings, or null to keep them; their member list is ignored (the
 *                 balancer's own members count) and their nonce must stay non-null
 * @param method a new lbmethod instance, which starts from its reset, or null to keep the current one
 * @param member the member whose settings or flags change, or null
 * @param memberConfig the member's new configuration (same URL), or null to keep it
 * @param memberFlags the status flags to set (true) or clear (false) on {@code member};
 *                    {@link StatusFlag#IN_ERROR} is refused, as in httpd
 */
public record BalancerEdit(WorkerConfig newMember, BalancerConfig settings, LbMethod method, Worker member,
                           WorkerConfig memberConfig, Map<StatusFlag, Boolean> memberFlags) {

    /** The edit that changes nothing; build on it with the {@code with} methods. */
    public static final BalancerEdit NONE = new BalancerEdit(null, null, null, null, null, Map.of());

    public BalancerEdit {
        Map<StatusFlag, Boolean> flags = new EnumMap<>(StatusFlag.class);
        if (memberFlags != null) {
            flags.putAll(memberFlags);
        }
        if (flags.containsKey(StatusFlag.IN_ERROR)) {
            throw new IllegalArgumentException("the error state (E) is not edited by hand");
        }
        if (member == null && (memberConfig != null || !flags.isEmpty())) {
            throw new IllegalArgumentException("member settings or flags need the member they change");
        }
        memberFlags = Collections.unmodifiableMap(flags);
    }

    /** This edit, adding the member {@code config} describes (disabled, as the manager makes it). */
    public BalancerEdit withNewMember(WorkerConfig config) {
        return new BalancerEdit(config, settings, method, member, memberConfig, memberFlags);
    }

    /**
     * This edit, with new balancer settings and, when {@code newMethod} is not null, a new lbmethod.
     */
    public BalancerEdit withSettings(BalancerConfig newSettings, LbMethod newMethod) {
        return new BalancerEdit(newMember, newSettings, newMethod, member, memberConfig, memberFlags);
    }

    /**
     * This edit, changing {@code worker}: its configuration becomes {@code config} (null: unchanged) and
     * each flag in {@code flags} is set or cleared.
     */
    public BalancerEdit withMember(Worker worker, WorkerConfig config, Map<StatusFlag, Boolean> flags) {
        return new BalancerEdit(newMember, settings, method, worker, config, flags);
    }

    /**
     * Under the balancer's lock, before anything changes: refuses this edit if it cannot be applied to a
     * balancer with {@code config} and {@code members}.
     */
    void check(BalancerConfig config, List<Worker> members, int maxMembers) {
        String url = config.url();
        if (settings != null && !settings.name().equals(config.name())) {
            throw new IllegalArgumentException("cannot rename " + url + " to " + settings.name());
        }
        if (settings != null && settings.nonce() == null) {
            throw new IllegalArgumentException(url + ": the nonce cannot be removed");
        }
        if (member != null && !members.contains(member)) {
            throw new IllegalArgumentException(member.name() + " is not a member of " + url);
        }
        if (memberConfig != null && !memberConfig.name().equalsIgnoreCase(member.name())) {
            throw new IllegalArgumentException("cannot turn worker " + member.name() + " into " + memberConfig.name());
        }
        if (newMember == null) {
            return;
        }
        for (Worker w : members) {
            if (w.name().equalsIgnoreCase(newMember.name())) {
                throw new IllegalStateException(newMember.name() + " is already a member of " + url);
            }
        }
        if (members.size() >= maxMembers) {
            throw new IllegalStateException(url + " has no free growth slot (MaxMembers " + maxMembers + ", "
                    + members.size() + " used)");
        }
    }

    /** Whether applying this edit changes nothing. */
    public boolean isEmpty() {
        return newMember == null && settings == null && method == null && member == null;
    }
}
