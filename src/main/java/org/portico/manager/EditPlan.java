package org.portico.manager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.portico.balancer.Balancer;
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
    /** The URL of a member to add, or null. */
    String newMember;
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
     * Applies the change: the new member first (the one step that depends on the running state; the
     * servlet's lock makes the validator's check still true), then the balancer settings, then the member.
     */
    void apply(Gateway gateway) {
        if (newMember != null) {
            gateway.addMember(balancer.name(), newMember);
        }
        if (balancerConfig != null) {
            balancer.reconfigure(balancerConfig, method);
        }
        if (worker != null) {
            balancer.updateMember(worker, workerConfig != null ? workerConfig : worker.config(), flags);
        }
    }
}
