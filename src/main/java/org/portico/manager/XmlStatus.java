package org.portico.manager;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerSnapshot;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;
import org.portico.health.CheckOutcome;
import org.portico.health.HealthChecks;
import org.portico.health.OutlierEjection;

/**
 * httpd's {@code ?xml=1} document, element for element and in httpd's order, so that tools written
 * for httpd's balancer-manager read Portico's. Optional elements appear under httpd's conditions
 * (stickysession and nofailover only for a sticky balancer, maxattempts only when set, and so on).
 */
final class XmlStatus {

    /** httpd's apr_rfc822_date: a two-digit day, GMT. */
    static final DateTimeFormatter RFC822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private XmlStatus() {
    }

    static String render(List<Balancer> balancers) {
        return render(balancers, null);
    }

    /**
     * @param health the gateway's health checks, for the hc elements Portico adds after httpd's own (httpd's
     *               XML has none); null shows the configuration with zero counters
     */
    static String render(List<Balancer> balancers, HealthChecks health) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<?xml version='1.0' encoding='UTF-8' ?>\n")
                .append("<httpd:manager xmlns:httpd='http://httpd.apache.org'>\n")
                .append("  <httpd:balancers>\n");
        for (Balancer b : balancers) {
            balancer(sb, b, health);
        }
        sb.append("  </httpd:balancers>\n").append("</httpd:manager>");
        return sb.toString();
    }

    private static void balancer(StringBuilder sb, Balancer b, HealthChecks health) {
        BalancerSnapshot s = b.snapshot(); // lbstatus values from one moment, as the lbmethod left them
        BalancerConfig c = s.config();
        sb.append("    <httpd:balancer>\n");
        el(sb, 6, "name", c.url());
        if (c.sticky()) {
            el(sb, 6, "stickysession", c.stickyCookie());
            el(sb, 6, "nofailover", c.noFailover() ? "On" : "Off");
        }
        el(sb, 6, "timeout", Long.toString(c.timeout() == null ? 0 : c.timeout().toSeconds()));
        if (c.maxAttempts() != null) {
            el(sb, 6, "maxattempts", c.maxAttempts().toString());
        }
        el(sb, 6, "lbmethod", s.lbmethod());
        if (c.sticky()) {
            el(sb, 6, "scolonpathdelim", c.scolonPathDelim() ? "On" : "Off");
        }
        sb.append("      <httpd:workers>\n");
        for (Worker w : s.members()) {
            worker(sb, w, s.lbstatus(w), health, b);
        }
        sb.append("      </httpd:workers>\n").append("    </httpd:balancer>\n");
    }

    private static void worker(StringBuilder sb, Worker w, long lbstatus, HealthChecks health, Balancer b) {
        WorkerConfig wc = w.config();
        WorkerParams p = wc.params();
        String lf = String.format(Locale.ROOT, "%.2f", p.loadfactor());
        sb.append("        <httpd:worker>\n");
        el(sb, 10, "name", wc.name());
        el(sb, 10, "scheme", wc.scheme());
        el(sb, 10, "hostname", wc.host());
        el(sb, 10, "loadfactor", lf);
        el(sb, 10, "port", Integer.toString(wc.port()));
        el(sb, 10, "min", Integer.toString(p.min()));
        el(sb, 10, "smax", Integer.toString(p.smax()));
        el(sb, 10, "max", Integer.toString(p.max()));
        el(sb, 10, "ttl", Long.toString(p.ttl() == null ? 0 : p.ttl().toSeconds()));
        if (p.timeout() != null) {
            el(sb, 10, "timeout", Long.toString(p.timeout().toSeconds()));
        }
        if (p.acquire() != null) {
            el(sb, 10, "acquire", Long.toString(p.acquire().toMillis()));
        }
        if (p.receiveBufferSize() > 0) {
            el(sb, 10, "recv_buffer_size", Integer.toString(p.receiveBufferSize()));
        }
        if (p.ioBufferSize() != WorkerParams.defaults().ioBufferSize()) {
            el(sb, 10, "io_buffer_size", Integer.toString(p.ioBufferSize()));
        }
        if (p.keepalive()) {
            el(sb, 10, "keepalive", "On");
        }
        el(sb, 10, "status", w.statusString());
        if (w.errorTimeMillis() > 0) {
            el(sb, 10, "error_time", RFC822.format(Instant.ofEpochMilli(w.errorTimeMillis())));
        }
        el(sb, 10, "retries", Long.toString(w.retries()));
        el(sb, 10, "lbstatus", Long.toString(lbstatus));
        el(sb, 10, "loadfactor", lf);
        el(sb, 10, "transferred", Long.toString(w.bytesTransferred()));
        el(sb, 10, "read", Long.toString(w.bytesRead()));
        el(sb, 10, "elected", Long.toString(w.electedCount()));
        el(sb, 10, "route", p.route());
        el(sb, 10, "redirect", p.redirect());
        el(sb, 10, "busy", Integer.toString(w.busy()));
        el(sb, 10, "lbset", Integer.toString(p.lbset()));
        if (p.disableReuse()) {
            el(sb, 10, "disablereuse", "On");
        }
        if (p.connectionTimeout() != null) {
            el(sb, 10, "connectiontimeout", Long.toString(p.connectionTimeout().toMillis()));
        }
        if (!p.retry().equals(WorkerParams.defaults().retry())) {
            el(sb, 10, "retry", Long.toString(p.retry().toSeconds()));
        }
        OutlierEjection.Ejected ejected = health == null ? null : health.ejected(b, w);
        if (ejected != null) {
            el(sb, 10, "ejected_until", RFC822.format(Instant.ofEpochMilli(ejected.untilMillis())));
            el(sb, 10, "ejected_reason", ejected.reason());
        }
        HealthCheck hc = p.healthCheck();
        if (hc.enabled()) {
            HealthColumns h = HealthColumns.of(w, health);
            el(sb, 10, "hcmethod", hc.method());
            el(sb, 10, "hcinterval", Long.toString(hc.interval().toMillis()));
            el(sb, 10, "hcpasses", h.passes());
            el(sb, 10, "hcfails", h.fails());
            el(sb, 10, "hcuri", hc.uri());
            el(sb, 10, "hcexpr", hc.expr());
            CheckOutcome last = h.last();
            if (last != null) {
                el(sb, 10, "hclast_time", RFC822.format(Instant.ofEpochMilli(last.startedMillis())));
                el(sb, 10, "hclast_result", last.passed() ? "passed" : "failed");
                el(sb, 10, "hclast_detail", last.detail());
                el(sb, 10, "hclast_duration", Long.toString(last.durationMillis()));
            }
        }
        sb.append("        </httpd:worker>\n");
    }

    private static void el(StringBuilder sb, int indent, String name, String value) {
        sb.append(" ".repeat(indent)).append("<httpd:").append(name).append('>').append(Html.escape(value))
                .append("</httpd:").append(name).append(">\n");
    }
}
