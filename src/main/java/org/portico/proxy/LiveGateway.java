package org.portico.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;

/**
 * The generation of the proxy that new requests get: one {@link Gateway} in one atomic reference. A request
 * takes its generation once ({@link #enter}) and keeps it to its end, so a reload ({@link #reload}) swaps the
 * next generation in for new requests while running ones finish on theirs. Reloads and balancer-manager edits
 * exclude each other by this object's monitor ({@code synchronized (live)}), so that an edit never lands on a
 * generation that is being replaced. Thread-safe.
 */
public final class LiveGateway implements AutoCloseable {

    private final AtomicReference<Gateway> current;
    private final List<Consumer<Gateway>> swapListeners = new CopyOnWriteArrayList<>();

    public LiveGateway(Gateway first) {
        this.current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
    }

    /** The newest generation, for a look that runs no request (the manager's views, the filters' rules). */
    public Gateway current() {
        return current.get();
    }

    /**
     * The newest generation, counted as used by one request until {@link GatewayHold#leave()}. The count is
     * taken before the generation is checked to still be the newest, so a reload that retires it either sees
     * the count or is seen here (and the next generation is taken instead).
     */
    GatewayHold enter() {
        while (true) {
            Gateway g = current.get();
            g.enter();
            if (current.get() == g) {
                return new GatewayHold(g);
            }
            g.exit();
        }
    }

    /** Runs {@code listener} with each new generation, right after it was swapped in (and under this monitor). */
    public void onSwap(Consumer<Gateway> listener) {
        swapListeners.add(listener);
    }

    /**
     * Builds the next generation from {@code next}, swaps it in for new requests and retires the running one,
     * whose pools that the new one does not keep close once its last request ended.
     *
     * @return what changed
     * @throws DescriptorException when {@code next} cannot run; the running generation goes on untouched
     */
    public synchronized Swap reload(Descriptor next) throws DescriptorException {
        Gateway old = current.get();
        Gateway fresh = old.next(next);
        fresh.activate();
        current.set(fresh);
        old.retire();
        for (Consumer<Gateway> l : swapListeners) {
            l.accept(fresh);
        }
        return Swap.between(old, fresh);
    }

    /**
     * What one reload did, by member (a URL in a balancer): kept with its state, new, or removed (a member
     * whose definition changed beyond what the manager edits counts as removed and new).
     */
    public record Swap(long generation, List<String> kept, List<String> added, List<String> removed) {

        static Swap between(Gateway old, Gateway fresh) {
            Set<Worker> before = members(old);
            Set<Worker> after = members(fresh);
            List<String> kept = new ArrayList<>();
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (Balancer b : fresh.balancers()) {
                for (Worker w : b.members()) {
                    (before.contains(w) ? kept : added).add(b.config().url() + " " + w.name());
                }
            }
            for (Balancer b : old.balancers()) {
                for (Worker w : b.members()) {
                    if (!after.contains(w)) {
                        removed.add(b.config().url() + " " + w.name());
                    }
                }
            }
            return new Swap(fresh.generation(), List.copyOf(kept), List.copyOf(added), List.copyOf(removed));
        }

        private static Set<Worker> members(Gateway g) {
            Set<Worker> s = Collections.newSetFromMap(new IdentityHashMap<>());
            g.balancers().forEach(b -> s.addAll(b.members()));
            return s;
        }

        @Override
        public String toString() {
            return "generation " + generation + ": " + kept.size() + " member(s) kept, added " + added + ", removed "
                    + removed;
        }
    }

    /** Shuts the proxy down (every generation). */
    @Override
    public void close() {
        current.get().close();
    }
}
