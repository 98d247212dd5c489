package org.portico.manager;

import java.util.Collection;
import java.util.Locale;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerParams;
import org.portico.reload.DescriptorReload;
import org.portico.reload.ReloadSettings;

/**
 * The manager's edit forms, with httpd's field names so that what works against httpd works here:
 * the member form ({@code w_*}), the balancer form ({@code b_*}, adding a member with {@code b_nwrkr}
 * and {@code b_wyes}), and the discard-state form. Each posts to the manager with {@code b} and the
 * balancer's {@code nonce} as hidden fields.
 */
final class EditForms {

    private static final String[][] FLAGS = {
            {"I", "Ignore Errors"}, {"N", "Draining Mode"}, {"D", "Disabled"}, {"H", "Hot Standby"},
            {"R", "Hot Spare"}, {"C", "HC Fail"}, {"S", "Stopped"}};

    private EditForms() {
    }

    /** @param rev the shared version of the member the form edits (sent back as {@code rev}); null without shared state */
    static void worker(StringBuilder sb, String managerUri, Balancer b, Worker w, Collection<String> hcExprs, Long rev) {
        WorkerParams p = w.config().params();
        HealthCheck hc = p.healthCheck();
        sb.append("<h3>Edit worker settings for ").append(Html.escape(w.name())).append("</h3>\n")
                .append("<form class=\"edit\" id=\"worker-form\" method=\"post\" action=\"").append(Html.escape(managerUri))
                .append("\">\n<table>\n")
                .append(text("Load factor:", "w_lf", String.format(Locale.ROOT, "%.2f", p.loadfactor()), "1 to 100"))
                .append(text("LB Set:", "w_ls", Integer.toString(p.lbset()), "0 to 99"))
                .append(text("Route:", "w_wr", p.route(), "empty: none"))
                .append(text("Route Redirect:", "w_rr", p.redirect(), "empty: none"));
        for (String[] f : FLAGS) {
            boolean on = w.has(StatusFlag.ofLetter(f[0].charAt(0)));
            String name = "w_status_" + f[0];
            sb.append("<tr><th>").append(f[1]).append(" (").append(f[0]).append("):</th><td>")
                    .append(radio(name, "1", on, "On")).append(' ').append(radio(name, "0", !on, "Off"))
                    .append("</td></tr>\n");
        }
        sb.append("<tr><th><label for=\"w_hm\">Health Check Method:</label></th><td><select name=\"w_hm\" id=\"w_hm\">");
        for (String m : HealthCheck.METHODS) {
            sb.append(option(m, m.equals(hc.method())));
        }
        sb.append("</select></td></tr>\n")
                .append(text("HC Interval:", "w_hi", hc.interval().toMillis() + "ms", "at least 100ms"))
                .append(text("HC Passes:", "w_hp", Integer.toString(hc.passes()), "at least 1"))
                .append(text("HC Fails:", "w_hf", Integer.toString(hc.fails()), "at least 1"))
                .append(text("HC uri:", "w_hu", hc.uri(), "empty: the member's path"))
                .append("<tr><th><label for=\"w_he\">HC Expr:</label></th><td><select name=\"w_he\" id=\"w_he\">")
                .append(option("", hc.expr().isEmpty()));
        for (String e : new java.util.TreeSet<>(hcExprs)) {
            sb.append(option(e, e.equals(hc.expr())));
        }
        sb.append("</select></td></tr>\n</table>\n")
                .append(hidden("w", w.name())).append(hidden("b", b.name())).append(hidden("nonce", b.nonce()))
                .append(rev == null ? "" : hidden(SharedEdits.REV, rev.toString()))
                .append("<input type=\"submit\" id=\"worker-submit\" value=\"Submit\">\n</form>\n");
    }

    /** @param rev the shared version of the balancer's settings (sent back as {@code rev}); null without shared state */
    static void balancer(StringBuilder sb, String managerUri, Balancer b, Collection<String> lbMethods, Long rev) {
        BalancerConfig c = b.config();
        sb.append("<h3>Edit balancer settings for ").append(Html.escape(c.url())).append("</h3>\n")
                .append("<form class=\"edit\" id=\"balancer-form\" method=\"post\" action=\"").append(Html.escape(managerUri))
                .append("\">\n<table>\n<tr><th><label for=\"b_lbm\">LBmethod:</label></th><td>")
                .append("<select name=\"b_lbm\" id=\"b_lbm\">");
        for (String m : lbMethods) {
            sb.append(option(m, m.equals(b.method().name())));
        }
        String sticky = c.stickyCookie().isEmpty() ? ""
                : c.stickyCookie().equals(c.stickyPath()) ? c.stickyCookie() : c.stickyCookie() + "|" + c.stickyPath();
        sb.append("</select></td></tr>\n")
                .append(text("Timeout:", "b_tmo", Long.toString(c.timeout() == null ? 0 : c.timeout().toSeconds()),
                        "seconds, 0 to 7200"))
                .append(text("Failover Attempts:", "b_max", Integer.toString(c.effectiveMaxAttempts()), "0 to 99"))
                .append("<tr><th>Disable Failover:</th><td>").append(radio("b_sforce", "1", c.noFailover(), "On"))
                .append(' ').append(radio("b_sforce", "0", !c.noFailover(), "Off")).append("</td></tr>\n")
                .append(text("Sticky Session:", "b_ss", sticky, "NAME or COOKIE|PARAMETER; use '-' to delete"));
        if (b.members().size() < b.maxMembers()) {
            sb.append(text("Add New Worker:", "b_nwrkr", "", "http://host[:port][/path]; it starts disabled"))
                    .append("<tr><th><label for=\"b_wyes\">Are you sure?</label></th><td>")
                    .append("<input type=\"checkbox\" name=\"b_wyes\" id=\"b_wyes\" value=\"1\"></td></tr>\n");
        } else {
            sb.append("<tr><th>Add New Worker:</th><td>no free growth slot (MaxMembers ").append(b.maxMembers())
                    .append(")</td></tr>\n");
        }
        sb.append("</table>\n").append(hidden("b", b.name())).append(hidden("nonce", b.nonce()))
                .append(rev == null ? "" : hidden(SharedEdits.REV, rev.toString()))
                .append("<input type=\"submit\" id=\"balancer-submit\" value=\"Submit\">\n</form>\n");
    }

    /** Deleting the saved state; any balancer's nonce authorises it. */
    /**
     * The "Reload descriptor" button (with {@code b}'s nonce when there is a balancer) and the latest attempt's
     * outcome; with reloads off, only a line saying so.
     */
    static void reload(StringBuilder sb, String managerUri, Balancer b, DescriptorReload reload) {
        ReloadSettings.Mode mode = reload.settings().mode();
        sb.append("<div id=\"reload\">");
        if (mode.manual()) {
            sb.append("<form method=\"post\" id=\"reload-form\" action=\"").append(Html.escape(managerUri)).append("\">");
            if (b != null) {
                sb.append(hidden("b", b.name())).append(hidden("nonce", b.nonce()));
            }
            sb.append(hidden(EditParams.RELOAD, "1")).append("<input type=\"submit\" value=\"Reload descriptor\"> ")
                    .append(mode == ReloadSettings.Mode.WATCH ? "(also reloaded when the file changes) " : "")
                    .append("</form>");
        } else {
            sb.append("<p>Descriptor reloads are off (portico.reload=off).</p>");
        }
        DescriptorReload.Outcome last = reload.last();
        if (last != null) {
            sb.append("<p id=\"last-reload\" class=\"").append(last.applied() ? "notice" : "error").append("\">Last reload (")
                    .append(Html.escape(last.by())).append(", ").append(Html.escape(last.at().toString())).append("): ")
                    .append(last.applied() ? "applied, " : "refused, generation " + last.generation() + " goes on: ")
                    .append(Html.escape(last.message())).append("</p>");
        }
        sb.append("</div>\n");
    }

    static void discardState(StringBuilder sb, String managerUri, Balancer b) {
        sb.append("<hr>\n<form method=\"post\" id=\"discard-form\" action=\"").append(Html.escape(managerUri)).append("\">")
                .append(hidden("b", b.name())).append(hidden("nonce", b.nonce())).append(hidden("discard_state", "1"))
                .append("<input type=\"submit\" value=\"Discard saved state\"> The running values stay; at the next ")
                .append("start the descriptor's apply.</form>\n");
    }

    private static String text(String label, String name, String value, String hint) {
        return "<tr><th><label for=\"" + name + "\">" + Html.escape(label) + "</label></th><td><input type=\"text\" name=\""
                + name + "\" id=\"" + name + "\" value=\"" + Html.escape(value) + "\"> <small>" + Html.escape(hint)
                + "</small></td></tr>\n";
    }

    private static String radio(String name, String value, boolean checked, String label) {
        String id = name + ("1".equals(value) ? "_on" : "_off");
        return "<label><input type=\"radio\" name=\"" + name + "\" id=\"" + id + "\" value=\"" + value + "\""
                + (checked ? " checked" : "") + "> " + label + "</label>";
    }

    private static String option(String value, boolean selected) {
        return "<option value=\"" + Html.escape(value) + "\"" + (selected ? " selected" : "") + ">"
                + Html.escape(value.isEmpty() ? "(none)" : value) + "</option>";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
    }
}
