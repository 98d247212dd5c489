package org.portico.manager;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.portico.balancer.Worker;
import org.portico.config.HealthCheck;
import org.portico.health.CheckOutcome;
import org.portico.health.HealthChecks;
import org.portico.health.MemberHealth;

/** The live health-check values the page, the XML and the JSON show for one member. */
final class HealthColumns {

    private final HealthCheck hc;
    private final MemberHealth.View view;

    private HealthColumns(HealthCheck hc, MemberHealth.View view) {
        this.hc = hc;
        this.view = view;
    }

    /** @param health null when the gateway runs no checks (then the counters show 0) */
    static HealthColumns of(Worker w, HealthChecks health) {
        return new HealthColumns(w.config().params().healthCheck(), health == null ? null : health.view(w));
    }

    int pcount() {
        return view == null ? 0 : view.pcount();
    }

    int fcount() {
        return view == null ? 0 : view.fcount();
    }

    /** httpd's Passes column: {@code passes (pcount)}. */
    String passes() {
        return hc.passes() + " (" + pcount() + ")";
    }

    /** httpd's Fails column: {@code fails (fcount)}. */
    String fails() {
        return hc.fails() + " (" + fcount() + ")";
    }

    CheckOutcome last() {
        return view == null ? null : view.last();
    }

    /** The last check as one cell: outcome, time and duration, e.g. {@code failed 07:01:02.345Z 12ms}; empty before the first. */
    String lastCell() {
        CheckOutcome o = last();
        if (o == null) {
            return "";
        }
        return (o.passed() ? "passed " : "failed ") + Instant.ofEpochMilli(o.startedMillis()).toString().substring(11)
                + " " + o.durationMillis() + "ms";
    }

    /** The JSON values beyond the configuration: counters and the last check (null before the first). */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pcount", pcount());
        m.put("fcount", fcount());
        m.put("checks", view == null ? 0 : view.checks());
        CheckOutcome o = last();
        if (o == null) {
            m.put("last", null);
        } else {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("time", Instant.ofEpochMilli(o.startedMillis()).toString());
            l.put("passed", o.passed());
            l.put("detail", o.detail());
            l.put("durationMs", o.durationMillis());
            m.put("last", l);
        }
        return m;
    }
}
