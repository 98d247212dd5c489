package org.portico.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerSnapshot;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.PassRule;
import org.portico.config.WorkerParams;
import org.portico.health.OutlierEjection;
import org.portico.proxy.Gateway;
import org.portico.reload.DescriptorReload;
import org.portico.proxy.Version;
import org.portico.shared.SharedSync;

/**
 * The balancer-manager's HTML page, laid out as httpd's: a heading, the server facts, then per balancer
 * its settings table, its members table (httpd's columns plus the health-check ones) and the live
 * picture; the edit form of the selected balancer or member follows its tables. Plain HTML that works
 * without JavaScript; every value is escaped.
 */
final class ManagerPage {

    /**
     * What one rendering needs besides the gateway.
     *
     * @param managerUri the manager's path (context path included), where links and forms point
     * @param cspNonce the nonce the response's Content-Security-Policy allows for the inline style and the chart script
     * @param selected the balancer named by {@code b}, or null
     * @param selectedWorker the member named by {@code w}, or null
     * @param notices what a change did, shown above the tables
     * @param error why a request was refused, or null
     */
    /** @param reload the descriptor reload, for its button and last outcome; null: none shown */
    /** @param shared the shared state, for the cluster section and the forms' {@code rev}; null when off */
    record View(String managerUri, String serverName, String cspNonce, boolean persist, Balancer selected,
                Worker selectedWorker, List<String> notices, String error, DescriptorReload reload, SharedSync shared) {

        View(String managerUri, String serverName, String cspNonce, boolean persist, Balancer selected,
             Worker selectedWorker, List<String> notices, String error) {
            this(managerUri, serverName, cspNonce, persist, selected, selectedWorker, notices, error, null, null);
        }

        View(String managerUri, String serverName, String cspNonce, boolean persist, Balancer selected,
             Worker selectedWorker, List<String> notices, String error, DescriptorReload reload) {
            this(managerUri, serverName, cspNonce, persist, selected, selectedWorker, notices, error, reload, null);
        }
    }

    private static final String STYLE = """
            body { font-family: sans-serif; margin: 1em 2em; color: #222; }
            table { border-collapse: collapse; margin: .4em 0 1em; }
            th, td { border: 1px solid #999; padding: 2px 6px; text-align: left; font-size: 90%; }
            th { background: #e8e8e8; }
            td.num { text-align: right; font-family: monospace; white-space: pre; }
            .notice { background: #e6f4ea; border: 1px solid #2b8a3e; padding: .4em .8em; }
            .error { background: #fdecea; border: 1px solid #c92a2a; padding: .4em .8em; }
            .charts { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
            figure { margin: 0; } figure svg { width: 420px; height: auto; } figcaption { font-size: 85%; }
            .legend { list-style: none; padding: 0; font-size: 85%; } .note { font-size: 80%; color: #555; width: 100%; }
            form.edit table th { background: none; border: none; } form.edit table td { border: none; }
            """;

    private ManagerPage() {
    }

    static String render(Gateway gateway, TrafficHistory history, View v) {
        StringBuilder sb = new StringBuilder(16_384);
        String nonce = Html.escape(v.cspNonce());
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Balancer Manager</title>\n")
                .append("<style nonce=\"").append(nonce).append("\">").append(STYLE).append("</style></head>\n")
                .append("<body data-traffic=\"").append(Html.escape(v.managerUri() + "/traffic"))
                .append("\" data-interval=\"").append(history.interval().toMillis() / 1000.0).append('"')
                .append(TrafficChart.bodyAttributes()).append(">\n")
                .append("<h1>Load Balancer Manager for ").append(Html.escape(v.serverName())).append("</h1>\n")
                .append("<dl><dt>Server Version: Portico ").append(Html.escape(Version.NUMBER)).append("</dt>\n")
                .append("<dt>Balancer changes will ").append(v.persist() ? "" : "NOT ")
                .append("be persisted on restart.</dt>\n")
                .append("<dt>Balancers are NOT inherited from main server.</dt>\n")
                .append("<dt>ProxyPass settings are NOT inherited from main server.</dt>\n")
                .append("<dt id=\"generation\">Descriptor: ").append(Html.escape(gateway.descriptor().source()))
                .append(", generation ").append(gateway.generation()).append("</dt></dl>\n");
        if (v.reload() != null) {
            EditForms.reload(sb, v.managerUri(), gateway.balancers().isEmpty() ? null : gateway.balancers().get(0), v.reload());
        }
        if (v.error() != null) {
            sb.append("<p class=\"error\" id=\"error\">").append(Html.escape(v.error())).append("</p>\n");
        }
        if (!v.notices().isEmpty()) {
            sb.append("<div class=\"notice\" id=\"notice\"><ul>");
            for (String n : v.notices()) {
                sb.append("<li>").append(Html.escape(n)).append("</li>");
            }
            sb.append("</ul></div>\n");
        }
        if (v.shared() != null) {
            SharedStatus.html(sb, v.shared(), gateway);
        }
        for (Balancer b : gateway.balancers()) {
            balancer(sb, gateway, history, b, v);
        }
        if (!gateway.descriptor().hcExprs().isEmpty()) {
            // as mod_proxy_hcheck's page hook: the defined ProxyHCExpr conditions
            sb.append("<hr>\n<h3>Health check cond. expressions:</h3>\n<table class=\"hcexprs\"><tr><th>Expr name</th>")
                    .append("<th>Expression</th></tr>\n");
            new java.util.TreeMap<>(gateway.descriptor().hcExprs()).forEach((name, expr) ->
                    sb.append("<tr>").append(td(name)).append(td(expr)).append("</tr>\n"));
            sb.append("</table>\n");
        }
        if (v.persist() && !gateway.balancers().isEmpty()) {
            EditForms.discardState(sb, v.managerUri(), gateway.balancers().get(0));
        }
        sb.append("<script nonce=\"").append(nonce).append("\" src=\"")
                .append(Html.escape(v.managerUri() + "/" + TrafficChart.SCRIPT_NAME)).append("\"></script>\n")
                .append("</body></html>\n");
        return sb.toString();
    }

    private static void balancer(StringBuilder sb, Gateway gateway, TrafficHistory history, Balancer b, View v) {
        BalancerSnapshot s = b.snapshot(); // lbstatus values from one moment, as the lbmethod left them
        BalancerConfig c = s.config();
        String link = v.managerUri() + "?b=" + Html.query(b.name()) + "&nonce=" + Html.query(b.nonce());
        sb.append("<hr>\n<h3 id=\"balancer-").append(Html.escape(b.name())).append("\">LoadBalancer Status for <a href=\"")
                .append(Html.escape(link)).append("\">").append(Html.escape(c.url())).append("</a></h3>\n")
                .append("<table class=\"balancer\"><tr><th>MaxMembers</th><th>StickySession</th><th>DisableFailover</th>")
                .append("<th>Timeout</th><th>FailoverAttempts</th><th>Method</th><th>Path</th><th>Active</th></tr>\n<tr>")
                .append(td(b.maxMembers() + " [" + s.members().size() + " Used]"))
                .append(td(EditValidator.sticky(c.stickyCookie(), c.stickyPath())))
                .append(td(c.noFailover() ? "On" : "Off"))
                .append(td(Long.toString(c.timeout() == null ? 0 : c.timeout().toSeconds())))
                .append(td(Integer.toString(c.effectiveMaxAttempts())))
                .append(td(s.lbmethod()))
                .append(td(paths(gateway, b, v.serverName())))
                .append(td("Yes")).append("</tr></table>\n");
        sb.append("<table class=\"workers\"><tr><th>Worker URL</th><th>Route</th><th>RouteRedir</th><th>Factor</th>")
                .append("<th>Set</th><th>Status</th><th>Elected</th><th>Busy</th><th>Load</th><th>To</th><th>From</th>")
                .append("<th>HC Method</th><th>HC Interval</th><th>Passes</th><th>Fails</th><th>HC uri</th><th>HC Expr</th><th>HC Last</th></tr>\n");
        for (Worker w : s.members()) {
            WorkerParams p = w.config().params();
            HealthCheck hc = p.healthCheck();
            HealthColumns live = HealthColumns.of(w, gateway.health());
            String wlink = link + "&w=" + Html.query(w.name());
            sb.append("<tr><td><a href=\"").append(Html.escape(wlink)).append("\">").append(Html.escape(w.name()))
                    .append("</a></td>")
                    .append(td(p.route())).append(td(p.redirect()))
                    .append(num(String.format(Locale.ROOT, "%.2f", p.loadfactor())))
                    .append(num(Integer.toString(p.lbset())))
                    .append("<td class=\"status\"").append(ejectedTitle(gateway, b, w)).append(">")
                    .append(Html.escape(w.statusString())).append("</td>")
                    .append(num(Long.toString(w.electedCount())))
                    .append(num(Integer.toString(w.busy())))
                    .append(num(Long.toString(s.lbstatus(w))))
                    .append(num(ByteSize.format(w.bytesTransferred())))
                    .append(num(ByteSize.format(w.bytesRead())))
                    .append(td(hc.method()))
                    .append(td(hc.interval().toMillis() + "ms"))
                    .append(td(live.passes()))
                    .append(td(live.fails()))
                    .append(td(hc.uri()))
                    .append(td(hc.expr()))
                    .append("<td title=\"").append(Html.escape(live.last() == null ? "" : live.last().detail())).append("\">")
                    .append(Html.escape(live.lastCell())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        TrafficChart.render(sb, b, history);
        if (b == v.selected()) {
            if (v.selectedWorker() != null) {
                EditForms.worker(sb, v.managerUri(), b, v.selectedWorker(), gateway.descriptor().hcExprs().keySet(),
                        v.shared() == null ? null : v.shared().version(v.shared().keys().member(b.name(),
                                v.selectedWorker().name())));
            } else {
                EditForms.balancer(sb, v.managerUri(), b, gateway.lbMethods().names(),
                        v.shared() == null ? null : v.shared().version(v.shared().keys().balancer(b.name())));
            }
        }
    }

    /** httpd's Path column: {@code server -> path} of each pass rule that targets this balancer. */
    static String paths(Gateway gateway, Balancer b, String serverName) {
        List<String> out = new ArrayList<>();
        for (PassRule r : gateway.descriptor().passes()) {
            if (r.targetsBalancer() && r.target().balancer().equals(b.name())) {
                out.add(serverName + " -> " + (r.isRegex() ? r.pattern().pattern() : r.path()));
            }
        }
        return String.join(", ", out);
    }

    /** A member ejected as an outlier says why, and until when, in its status cell's title. */
    private static String ejectedTitle(Gateway gateway, Balancer b, Worker w) {
        OutlierEjection.Ejected e = gateway.health().ejected(b, w);
        return e == null ? "" : " title=\"ejected as an outlier until "
                + Html.escape(java.time.Instant.ofEpochMilli(e.untilMillis()).toString() + ": " + e.reason()) + "\"";
    }

    private static String td(String text) {
        return "<td>" + Html.escape(text) + "</td>";
    }

    private static String num(String text) {
        return "<td class=\"num\">" + Html.escape(text) + "</td>";
    }
}
