package org.portico.shared;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The other instances as the store shows them: which are present, and what each observes of each member. Fed by
 * {@link SharedSync}'s one applying thread; read by the manager from any thread. Thread-safe.
 */
public final class ClusterView {

    /** Instance name to the JSON it registered with. */
    private final Map<String, String> instances = new ConcurrentHashMap<>();
    /** "balancer\nurl" to (instance to report). */
    private final Map<String, Map<String, HealthReport>> reports = new ConcurrentHashMap<>();

    void instancePresent(String name, String info) {
        instances.put(name, info);
    }

    void instanceGone(String name) {
        instances.remove(name);
    }

    void report(String balancer, String url, String instance, HealthReport report) {
        reports.computeIfAbsent(member(balancer, url), k -> new ConcurrentHashMap<>()).put(instance, report);
    }

    void reportGone(String balancer, String url, String instance) {
        Map<String, HealthReport> m = reports.get(member(balancer, url));
        if (m != null) {
            m.remove(instance);
        }
    }

    void clear() {
        instances.clear();
        reports.clear();
    }

    /** The instances present, by name, sorted. */
    public Map<String, String> instances() {
        return new TreeMap<>(instances);
    }

    /** What each instance reports of one member (case as the member's URL is written), sorted by instance. */
    public Map<String, HealthReport> observations(String balancer, String url) {
        Map<String, HealthReport> m = reports.get(member(balancer, url));
        return m == null ? Map.of() : new TreeMap<>(m);
    }

    /** How many instances other than {@code self} report the member in error. */
    public int errorReports(String balancer, String url, String self) {
        int n = 0;
        for (Map.Entry<String, HealthReport> e : observations(balancer, url).entrySet()) {
            if (!e.getKey().equals(self) && e.getValue().error()) {
                n++;
            }
        }
        return n;
    }

    private static String member(String balancer, String url) {
        return balancer + "\n" + url;
    }
}
