package org.portico.manager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerEdit;
import org.portico.balancer.LbMethod;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;
import org.portico.proxy.Gateway;

/**
 * One validated manager change, ready to apply: made by {@link EditValidator} only after every field
 * passed, so applying it cannot half-fail on a bad value. Not thread-safe; the servlet applies one plan
 * at a time.
 */
final class EditPlan {

    final Balancer balancer;
    /** New balancer settings, or null when the request changes none. */
    BalancerConfig balancerConfig;
    /** A new lbmethod instance when the method changes, else null. */
    LbMethod method;
    /** The member to edit, or null. */
    Worker worker;
    /** Its new configuration, or null when only flags (or nothing) change. */
    WorkerConfig workerConfig;
    final Map<StatusFlag, Boolean> flags = new EnumMap<>(StatusFlag.class);
    /** The member to add (disabled), or null. */
    WorkerConfig newMember;
    boolean discardState;
    final List<String> changes = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();

    EditPlan(Balancer balancer) {
        this.balancer = balancer;
    }

    boolean changesSomething() {
        return balancerConfig != null || worker != null || newMember != null || discardState;
    }

    /** Human-readable lines saying what was changed, for the page and the JSON answer. */
    List<String> changes() {
        return Collections.unmodifiableList(changes);
    }

    /**
     * Applies the change as one {@link BalancerEdit}: the new member, the balancer settings and the
     * member's settings and flags under one acquisition of the balancer's lock, so that no request is
     * balanced on half of it. The servlet's edit lock keeps the validator's checks true until then.
     */
    void apply(Gateway gateway) {
        gateway.apply(balancer, edit());
    }

    /** The whole change as one edit of the balancer. */
    BalancerEdit edit() {
        BalancerEdit edit = BalancerEdit.NONE;
        if (newMember != null) {
            edit = edit.withNewMember(newMember);
        }
        if (balancerConfig != null) {
            edit = edit.withSettings(balancerConfig, method);
        }
        if (worker != null) {
            edit = edit.withMember(worker, workerConfig, flags);
        }
        return edit;
    }
}
