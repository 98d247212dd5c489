package org.portico.manager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerSnapshot;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;
import org.portico.health.HealthChecks;
import org.portico.health.OutlierEjection;
import org.portico.proxy.Gateway;
import org.portico.reload.DescriptorReload;

/**
 * The manager's state as JSON ({@code Accept: application/json}): what the page and the XML show, with
 * plain numbers instead of formatted ones, each member's flags by letter, and each balancer's nonce so
 * that a script can post changes (as JSON with httpd's field names, or as a form).
 */
final class JsonStatus {

    private JsonStatus() {
    }

    static Map<String, Object> render(Gateway gateway, String serverName, boolean persist) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("server", serverName);
        doc.put("persist", persist);
        doc.put("lbmethods", List.copyOf(gateway.lbMethods().names()));
        doc.put("hcExprs", new java.util.TreeMap<>(gateway.descriptor().hcExprs()));
        List<Object> balancers = new ArrayList<>();
        for (Balancer b : gateway.balancers()) {
            balancers.add(balancer(gateway, b, serverName));
        }
        doc.put("balancers", balancers);
        return doc;
    }

    /**
     * The running descriptor: its source and generation (1 at start, one more per reload), the reload mode and
     * the latest reload attempt, if any.
     */
    static Map<String, Object> descriptor(Gateway gateway, DescriptorReload reload) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", gateway.descriptor().source());
        m.put("generation", gateway.generation());
        m.put("reload", reload == null ? "off" : reload.settings().mode().toString());
        DescriptorReload.Outcome last = reload == null ? null : reload.last();
        if (last != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("applied", last.applied());
            l.put("generation", last.generation());
            l.put("message", last.message());
            l.put("at", last.at().toString());
            l.put("by", last.by());
            m.put("lastReload", l);
        }
        return m;
    }

    private static Map<String, Object> balancer(Gateway gateway, Balancer b, String serverName) {
        BalancerSnapshot s = b.snapshot(); // lbstatus values from one moment, as the lbmethod left them
        BalancerConfig c = s.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.url());
        m.put("b", b.name());
        m.put("nonce", b.nonce());
        m.put("maxMembers", b.maxMembers());
        m.put("used", s.members().size());
        m.put("stickySession", EditValidator.sticky(c.stickyCookie(), c.stickyPath()));
        m.put("stickyCookie", c.stickyCookie());
        m.put("stickyPath", c.stickyPath());
        m.put("noFailover", c.noFailover());
        m.put("timeout", c.timeout() == null ? 0 : c.timeout().toSeconds());
        m.put("maxAttempts", c.effectiveMaxAttempts());
        m.put("maxAttemptsSet", c.maxAttempts() != null);
        m.put("lbmethod", s.lbmethod());
        m.put("path", ManagerPage.paths(gateway, b, serverName));
        m.put("active", true);
        List<Object> workers = new ArrayList<>();
        for (Worker w : s.members()) {
            workers.add(worker(w, s.lbstatus(w), gateway.health(), b));
        }
        m.put("workers", workers);
        return m;
    }

    private static Map<String, Object> worker(Worker w, long lbstatus, HealthChecks health, Balancer b) {
        WorkerConfig wc = w.config();
        WorkerParams p = wc.params();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", wc.name());
        m.put("scheme", wc.scheme());
        m.put("hostname", wc.host());
        m.put("port", wc.port());
        m.put("route", p.route());
        m.put("redirect", p.redirect());
        m.put("loadfactor", p.loadfactor());
        m.put("lbset", p.lbset());
        m.put("status", w.statusString());
        Map<String, Object> flags = new LinkedHashMap<>();
        for (StatusFlag f : StatusFlag.values()) {
            flags.put(String.valueOf(f.letter()), w.has(f));
        }
        m.put("flags", flags);
        m.put("usable", w.usable());
        m.put("elected", w.electedCount());
        m.put("busy", w.busy());
        m.put("lbstatus", lbstatus);
        m.put("transferred", w.bytesTransferred());
        m.put("read", w.bytesRead());
        m.put("to", ByteSize.format(w.bytesTransferred()).trim());
        m.put("from", ByteSize.format(w.bytesRead()).trim());
        m.put("errors", w.errors());
        m.put("retries", w.retries());
        m.put("errorTime", w.errorTimeMillis() > 0 ? Instant.ofEpochMilli(w.errorTimeMillis()).toString() : null);
        m.put("addedAtRunTime", org.portico.balancer.AddedMember.isAdded(wc));
        HealthCheck hc = p.healthCheck();
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("method", hc.method());
        h.put("interval", hc.interval().toMillis() + "ms");
        h.put("passes", hc.passes());
        h.put("fails", hc.fails());
        h.put("uri", hc.uri());
        h.put("expr", hc.expr());
        h.putAll(HealthColumns.of(w, health).json());
        m.put("healthCheck", h);
        OutlierEjection.Ejected ejected = health.ejected(b, w);
        m.put("ejected", ejected == null ? null : Map.of("since", Instant.ofEpochMilli(ejected.atMillis()).toString(),
                "until", Instant.ofEpochMilli(ejected.untilMillis()).toString(), "reason", ejected.reason()));
        return m;
    }
}
