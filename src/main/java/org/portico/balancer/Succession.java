package org.portico.balancer;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.SourceLocation;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * What a descriptor reload keeps of a running balancer. The rule, by comparing the balancer's definition in
 * the descriptor before and after the reload (source positions aside):
 * <ul>
 *   <li>an identical definition keeps the very same balancer (all state, manager edits included);</li>
 *   <li>a member with the same URL whose parameters differ at most in those the balancer-manager edits
 *       ({@link #MANAGER_FLAGS} flags, loadfactor, lbset, route, redirect, health check) is kept, with its
 *       state (flags, counters, lbstatus, health, pool); each of those the file changed takes the file's new
 *       value, the others keep their running (possibly edited) value. Any other change makes it a new member
 *       with fresh state; a member the file no longer has is removed;</li>
 *   <li>the balancer's settings work the same way: when only settings the manager edits (lbmethod, sticky
 *       session, nofailover, maxattempts, timeout) changed, the running settings are kept except those, and
 *       the learned-affinity table and the members added through the manager stay (while growth slots are
 *       free); any other change gives the balancer fresh settings from the file;</li>
 *   <li>the nonce is the file's; when the file names none the running one stays, so open manager pages go on
 *       working.</li>
 * </ul>
 * Nothing running is changed until {@link Next#commit()}, so a reload that fails later changes nothing.
 * Stateless.
 */
public final class Succession {

    /** The status flags the balancer-manager edits (E is the balancer's own). */
    public static final String MANAGER_FLAGS = "INDHRSC";

    private Succession() {
    }

    /**
     * The balancer to run after a reload, and the changes to its kept members that wait for {@link Next#commit}.
     *
     * @param before the balancer's definition in the running descriptor, or null when it is new
     * @param running the running balancer, or null when it is new
     * @param now its definition in the new descriptor
     * @param methods where the lbmethod instances come from; {@code now}'s lbmethod must be known there
     */
    public static Next next(BalancerConfig before, Balancer running, BalancerConfig now, LbMethods methods,
                            BalancerOptions options) {
        if (running == null || before == null) {
            return new Next(new Balancer(now, methods.create(now.lbmethod()), options), List.of());
        }
        if (definition(before).equals(definition(now)) && sameMembers(before, now)) {
            return new Next(running, List.of());
        }
        Map<String, WorkerConfig> old = new HashMap<>();
        before.members().forEach(m -> old.put(key(m.name()), m));
        List<Worker> members = new ArrayList<>();
        List<MemberChange> changes = new ArrayList<>();
        for (WorkerConfig m : now.members()) {
            Worker w = running.member(m.name());
            WorkerConfig was = old.get(key(m.name()));
            if (w != null && was != null && sameApartFromManagerParams(was, m)) {
                members.add(w);
                MemberChange c = MemberChange.of(w, was, m);
                if (c != null) {
                    changes.add(c);
                }
            } else {
                members.add(new Worker(m, options.responseTimeDecay()));
            }
        }
        int max = now.members().size() + now.growth();
        boolean keepSettings = definition(withoutManagerSettings(before)).equals(definition(withoutManagerSettings(now)))
                && options.equals(running.options());
        BalancerConfig settings;
        if (keepSettings) {
            for (Worker w : running.members()) {
                if (AddedMember.isAdded(w.config()) && members.size() < max && !contains(members, w.name())) {
                    members.add(w);
                }
            }
            settings = mergedSettings(before, running.config(), now);
        } else {
            settings = now;
        }
        String nonce = now.nonce() != null ? now.nonce()
                : before.nonce() == null ? running.nonce() : UUID.randomUUID().toString();
        settings = BalancerConfigs.withNonce(BalancerConfigs.withMembers(settings, List.of()), nonce);
        // a fresh instance (each belongs to one balancer); the lbstatus it works on stays with the members
        LbMethod method = methods.create(settings.lbmethod());
        boolean sameMethod = settings.lbmethod().equals(running.method().name());
        LearnedAffinity affinity = keepSettings ? running.affinity() : null;
        return new Next(new Balancer(settings, method, options, max, members, !sameMethod, affinity), changes);
    }

    /** A reloaded balancer, and what its kept members change when it goes live. */
    public record Next(Balancer balancer, List<MemberChange> changes) {

        /** Applies the file's changes to the kept members, each as one edit under the balancer's lock. */
        public void commit() {
            for (MemberChange c : changes) {
                balancer.apply(BalancerEdit.NONE.withMember(c.worker(), c.config(), c.flags()));
            }
        }
    }

    /** The file's change to a kept member: its merged configuration and the flags the file switched. */
    public record MemberChange(Worker worker, WorkerConfig config, Map<StatusFlag, Boolean> flags) {

        /** The change from {@code was} to {@code now} applied on {@code w}'s running values; null when none. */
        static MemberChange of(Worker w, WorkerConfig was, WorkerConfig now) {
            WorkerParams a = was.params();
            WorkerParams b = now.params();
            WorkerParams running = w.config().params();
            WorkerParams.Builder p = WorkerParams.copy(running);
            boolean changed = false;
            if (a.lbfactor() != b.lbfactor()) {
                p.setLbfactor(b.lbfactor());
                changed = true;
            }
            if (a.lbset() != b.lbset()) {
                p.setLbset(b.lbset());
                changed = true;
            }
            if (!a.route().equals(b.route())) {
                p.setRoute(b.route());
                changed = true;
            }
            if (!a.redirect().equals(b.redirect())) {
                p.setRedirect(b.redirect());
                changed = true;
            }
            if (!Objects.equals(a.healthCheck(), b.healthCheck())) {
                p.setHealthCheck(b.healthCheck());
                changed = true;
            }
            Map<StatusFlag, Boolean> flags = new EnumMap<>(StatusFlag.class);
            for (char letter : MANAGER_FLAGS.toCharArray()) {
                StatusFlag f = StatusFlag.ofLetter(letter);
                if (a.hasFlag(f) != b.hasFlag(f)) {
                    flags.put(f, b.hasFlag(f));
                }
            }
            if (!changed && flags.isEmpty()) {
                return null;
            }
            return new MemberChange(w, changed ? w.config().withParams(p.build()) : null, flags);
        }
    }

    /** Whether two definitions of one member URL differ at most in what the balancer-manager edits. */
    public static boolean sameApartFromManagerParams(WorkerConfig a, WorkerConfig b) {
        return a.uri().equals(b.uri()) && withoutManagerParams(a.params()).equals(withoutManagerParams(b.params()));
    }

    /** {@code p} with every parameter the balancer-manager edits set to one fixed value. */
    public static WorkerParams withoutManagerParams(WorkerParams p) {
        int status = p.status();
        for (char letter : MANAGER_FLAGS.toCharArray()) {
            status &= ~StatusFlag.ofLetter(letter).bit();
        }
        return WorkerParams.copy(p).setLbfactor(100).setLbset(0).setRoute("").setRedirect("").setStatus(status)
                .setHealthCheck(HealthCheck.NONE).build();
    }

    private static boolean sameMembers(BalancerConfig a, BalancerConfig b) {
        if (a.members().size() != b.members().size()) {
            return false;
        }
        for (int i = 0; i < a.members().size(); i++) {
            WorkerConfig x = a.members().get(i);
            WorkerConfig y = b.members().get(i);
            if (!x.name().equals(y.name()) || !x.uri().equals(y.uri()) || !x.params().equals(y.params())) {
                return false;
            }
        }
        return true;
    }

    /** The balancer's own settings, without members and source position. */
    private static BalancerConfig definition(BalancerConfig c) {
        return BalancerConfig.copy(c).setMembers(List.of()).setWhere(SourceLocation.unknown("")).build();
    }

    private static BalancerConfig withoutManagerSettings(BalancerConfig c) {
        return BalancerConfigs.withSettings(c, "", "", "", false, null, null);
    }

    /** {@code running}'s settings with each one the manager edits that the file changed from {@code before} to {@code now}. */
    private static BalancerConfig mergedSettings(BalancerConfig before, BalancerConfig running, BalancerConfig now) {
        boolean stickyChanged = !before.stickyCookie().equals(now.stickyCookie()) || !before.stickyPath().equals(now.stickyPath());
        return BalancerConfigs.withSettings(running,
                pick(before.lbmethod(), now.lbmethod(), running.lbmethod()),
                stickyChanged ? now.stickyCookie() : running.stickyCookie(),
                stickyChanged ? now.stickyPath() : running.stickyPath(),
                pick(before.noFailover(), now.noFailover(), running.noFailover()),
                pick(before.maxAttempts(), now.maxAttempts(), running.maxAttempts()),
                pick(before.timeout(), now.timeout(), running.timeout()));
    }

    private static <T> T pick(T before, T now, T running) {
        return Objects.equals(before, now) ? running : now;
    }

    private static boolean contains(List<Worker> members, String name) {
        for (Worker w : members) {
            if (w.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
