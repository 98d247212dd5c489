package org.portico.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.portico.balancer.Balancer;
import org.portico.config.StatusFlag;
import org.portico.shared.Intents;
import org.portico.shared.SharedSync;
import org.portico.shared.StoreConflictException;
import org.portico.shared.StoreUnavailableException;
import org.portico.shared.StoreWrite;

/**
 * A validated manager change with shared state on: written to the store by compare-and-set, against the version the
 * page showed ({@code rev}, for the member named by {@code w}, else for the balancer's settings) or, without it, the
 * version this instance applied last. It is not applied here: the watch brings it back to every instance, this one
 * included, and the answer waits for that. A conflict is refused with 409 and the current value, an unreachable
 * store with 503 naming it. Stateless.
 */
final class SharedEdits {

    /** The field carrying the version the page showed. */
    static final String REV = "rev";
    private static final Duration APPLY_WAIT = Duration.ofSeconds(5);

    private SharedEdits() {
    }

    /** Whether the plan changes what the store shares (discarding the local snapshot does not). */
    static boolean shares(EditPlan plan) {
        return plan.balancerConfig != null || plan.worker != null || plan.newMember != null;
    }

    /** Refuses any change while the store is unreachable. */
    static void checkReachable(SharedSync sync) throws EditRefused {
        if (!sync.connected()) {
            throw unreachable(sync, null);
        }
    }

    private static EditRefused unreachable(SharedSync sync, String detail) {
        long since = sync.staleSinceMillis();
        return new EditRefused(503, "shared state: the store " + sync.address() + " is unreachable"
                + (since == 0 ? "" : " since " + Instant.ofEpochMilli(since)) + (detail == null ? "" : " (" + detail + ")")
                + "; edits are refused until it is back, and this instance proxies on the last applied state");
    }

    /** The writes of {@code plan}; made under the edit lock, on the state the validator saw. */
    static List<StoreWrite> writes(EditPlan plan, EditParams p, SharedSync sync) throws EditRefused {
        Long rev = null;
        if (p.given(REV)) {
            try {
                rev = Long.parseLong(p.get(REV).trim());
            } catch (NumberFormatException e) {
                throw EditRefused.badValue(REV + ": '" + p.get(REV) + "' is not a version: send back the rev the page "
                        + "or the JSON status gave");
            }
        }
        Balancer b = plan.balancer;
        String writer = sync.instance();
        long now = System.currentTimeMillis();
        List<StoreWrite> writes = new ArrayList<>();
        if (plan.newMember != null) {
            String key = sync.keys().member(b.name(), plan.newMember.name());
            Map<StatusFlag, Boolean> flags = new EnumMap<>(StatusFlag.class);
            flags.put(StatusFlag.DISABLED, true);
            writes.add(new StoreWrite(key, Intents.json(Intents.member(null, plan.newMember, flags, writer, now)),
                    sync.version(key)));
        }
        if (plan.balancerConfig != null) {
            String key = sync.keys().balancer(b.name());
            long expected = rev != null && plan.worker == null ? rev : sync.version(key);
            writes.add(new StoreWrite(key, Intents.json(Intents.balancer(plan.balancerConfig, writer, now)), expected));
        }
        if (plan.worker != null) {
            String key = sync.keys().member(b.name(), plan.worker.name());
            long expected = rev != null ? rev : sync.version(key);
            writes.add(new StoreWrite(key, Intents.json(Intents.member(plan.worker,
                    plan.workerConfig != null ? plan.workerConfig : plan.worker.config(), plan.flags, writer, now)),
                    expected));
        }
        return writes;
    }

    /**
     * Writes, then waits until this instance's watch applied the writes. Not under the edit lock: applying needs it.
     *
     * @return a notice when the watch was late, else null
     */
    static String commit(List<StoreWrite> writes, SharedSync sync) throws EditRefused {
        Map<String, Long> versions;
        try {
            versions = sync.commit(writes);
        } catch (StoreConflictException e) {
            String now = e.current() == null ? "absent" : e.current().value();
            long yours = writes.stream().filter(w -> w.key().equals(e.key())).findFirst().map(StoreWrite::expectedVersion)
                    .orElse(0L);
            throw new EditRefused(409, "rev: " + e.key() + " was changed by another edit since version " + yours
                    + " that this edit started from; it is at version " + (e.current() == null ? 0 : e.current().version())
                    + " now, current value: " + now + ". Reload the page and edit again.");
        } catch (StoreUnavailableException e) {
            throw unreachable(sync, e.getMessage());
        }
        try {
            if (!sync.awaitApplied(versions, APPLY_WAIT)) {
                return "written to the shared state, but not yet applied on this instance after " + APPLY_WAIT.toSeconds()
                        + " s (its watch is late): the page may show the state before the change";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
