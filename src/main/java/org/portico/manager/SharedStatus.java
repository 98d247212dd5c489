package org.portico.manager;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.proxy.Gateway;
import org.portico.shared.HealthReport;
import org.portico.shared.SharedSync;

/**
 * The manager's view of the shared state: the store and whether it answers, the instances present, and per balancer
 * and member the version applied here (the {@code rev} an edit sends back) and what each instance observes. As a map
 * for the JSON status and as HTML for the page. Stateless.
 */
final class SharedStatus {

    private SharedStatus() {
    }

    /** "connected" or "stale since ...", as the page and the JSON say it. */
    static String state(SharedSync sync) {
        long since = sync.staleSinceMillis();
        return since == 0 ? "connected" : "stale since " + Instant.ofEpochMilli(since);
    }

    static Map<String, Object> json(SharedSync sync, Gateway gateway) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("store", sync.address().toString());
        doc.put("instance", sync.instance());
        doc.put("connected", sync.connected());
        doc.put("state", state(sync));
        doc.put("instances", sync.cluster().instances().keySet().stream().toList());
        Map<String, Object> balancers = new LinkedHashMap<>();
        for (Balancer b : gateway.balancers()) {
            Map<String, Object> bd = new LinkedHashMap<>();
            bd.put("rev", sync.version(sync.keys().balancer(b.name())));
            Map<String, Object> members = new LinkedHashMap<>();
            for (Worker w : b.members()) {
                Map<String, Object> md = new LinkedHashMap<>();
                md.put("rev", sync.version(sync.keys().member(b.name(), w.name())));
                Map<String, Object> seen = new LinkedHashMap<>();
                for (Map.Entry<String, HealthReport> e : sync.cluster().observations(b.name(), w.name()).entrySet()) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("error", e.getValue().error());
                    r.put("status", e.getValue().status());
                    r.put("since", Instant.ofEpochMilli(e.getValue().since()).toString());
                    seen.put(e.getKey(), r);
                }
                md.put("observations", seen);
                members.put(w.name(), md);
            }
            bd.put("members", members);
            balancers.put(b.name(), bd);
        }
        doc.put("balancers", balancers);
        return doc;
    }

    /** The page's section: the store's state, the instances, and per member each instance's status. */
    static void html(StringBuilder sb, SharedSync sync, Gateway gateway) {
        sb.append("<div id=\"shared-state\"><h3>Cluster</h3>\n<p id=\"shared-state-line\">shared state: ")
                .append(Html.escape(sync.address().toString())).append(", ").append(Html.escape(state(sync)))
                .append("; this instance: ").append(Html.escape(sync.instance())).append("</p>\n");
        Map<String, String> instances = sync.cluster().instances();
        sb.append("<table class=\"cluster\"><tr><th>Balancer</th><th>Worker URL</th>");
        for (String i : instances.keySet()) {
            sb.append("<th>").append(Html.escape(i)).append("</th>");
        }
        sb.append("</tr>\n");
        for (Balancer b : gateway.balancers()) {
            for (Worker w : b.members()) {
                Map<String, HealthReport> seen = sync.cluster().observations(b.name(), w.name());
                sb.append("<tr><td>").append(Html.escape(b.name())).append("</td><td>").append(Html.escape(w.name()))
                        .append("</td>");
                for (String i : instances.keySet()) {
                    HealthReport r = seen.get(i);
                    sb.append("<td>").append(r == null ? "-" : Html.escape(r.status())).append("</td>");
                }
                sb.append("</tr>\n");
            }
        }
        sb.append("</table></div>\n");
    }
}
