package org.portico.manager;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portico.balancer.AddedMember;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerConfigs;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * Checks every field of a manager change against httpd's ranges and turns the request into an
 * {@link EditPlan}. Where httpd silently ignores a bad value, Portico refuses the whole request with
 * 400 and a message naming the field and what it accepts; an empty numeric field means "unchanged"
 * (a browser sends every field of the form).
 */
final class EditValidator {

    /** The flags the manager edits, by letter: E is the balancer's own, as in httpd. */
    static final String EDITABLE_FLAGS = org.portico.shared.Intents.EDITABLE_FLAGS;
    private static final Set<String> WORKER_FIELDS = Set.of("w_lf", "w_ls", "w_wr", "w_rr", "w_hm", "w_hi", "w_hp",
            "w_hf", "w_hu", "w_he");
    private static final Set<String> BALANCER_FIELDS = Set.of("b_lbm", "b_tmo", "b_max", "b_sforce", "b_ss",
            "b_nwrkr", "b_wyes");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`~0-9A-Za-z-]+");
    private static final Pattern VISIBLE = Pattern.compile("[\\x21-\\x7e&&[^\",;\\\\]]*");
    private static final Pattern HC_INTERVAL = Pattern.compile("(\\d{1,9})(ms|s|mi|h)?");

    private final LbMethods lbMethods;
    private final Map<String, String> hcExprs;
    private final boolean persistOn;

    EditValidator(LbMethods lbMethods, Map<String, String> hcExprs, boolean persistOn) {
        this.lbMethods = lbMethods;
        this.hcExprs = hcExprs;
        this.persistOn = persistOn;
    }

    /** The plan for {@code p} on {@code b}; nothing is changed here. */
    EditPlan validate(EditParams p, Balancer b) throws EditRefused {
        EditPlan plan = new EditPlan(b);
        List<String> workerFields = new ArrayList<>();
        for (String name : p.names()) {
            if (name.startsWith("w_status_")) {
                checkFlagField(name);
                workerFields.add(name);
            } else if (WORKER_FIELDS.contains(name)) {
                workerFields.add(name);
            } else if ((name.startsWith("w_") || name.startsWith("b_")) && !BALANCER_FIELDS.contains(name)) {
                throw EditRefused.badValue(name + " is not a balancer-manager field: use w_lf, w_ls, w_wr, w_rr, "
                        + "w_status_X (X one of " + EDITABLE_FLAGS + "), w_hm, w_hi, w_hp, w_hf, w_hu, w_he, "
                        + "b_lbm, b_tmo, b_max, b_sforce, b_ss, b_nwrkr with b_wyes, or discard_state");
            } else if (!Set.of("b", "w", "nonce", "xml", "discard_state", SharedEdits.REV).contains(name) && !BALANCER_FIELDS.contains(name)) {
                plan.ignored.add(name);
            }
        }
        Worker w = null;
        if (p.given("w")) {
            String wanted = EditParams.name(p.get("w"));
            w = b.member(wanted);
            if (w == null && wanted.endsWith("/")) {
                w = b.member(wanted.substring(0, wanted.length() - 1));
            }
            if (w == null) {
                throw EditRefused.badValue("w: " + b.config().url() + " has no member '" + wanted + "' (members: "
                        + memberNames(b) + ")");
            }
        }
        if (!workerFields.isEmpty()) {
            if (w == null) {
                throw EditRefused.badValue(workerFields.get(0) + " changes a member: name it with w (its URL)");
            }
            workerEdit(p, b, w, plan);
        }
        balancerEdit(p, b, plan);
        if (p.has("discard_state") && flag(p, "discard_state", false)) {
            if (!persistOn) {
                throw EditRefused.badValue("discard_state: balancer persistence is off (" + ManagerSettings.PERSIST
                        + "), so there is no saved state to discard");
            }
            plan.discardState = true;
            plan.changes.add("saved state discarded: the descriptor's values apply at the next start");
        }
        return plan;
    }

    private static void checkFlagField(String name) throws EditRefused {
        String letter = name.substring("w_status_".length());
        if ("E".equals(letter)) {
            throw EditRefused.badValue("w_status_E: the error state (E) cannot be set or cleared by hand; failed "
                    + "requests set it and the retry timer clears it. Editable flags: " + EDITABLE_FLAGS);
        }
        if (letter.length() != 1 || EDITABLE_FLAGS.indexOf(letter.charAt(0)) < 0) {
            throw EditRefused.badValue(name + " is not a status flag field: use w_status_X with X one of "
                    + EDITABLE_FLAGS);
        }
    }

    private void workerEdit(EditParams p, Balancer b, Worker w, EditPlan plan) throws EditRefused {
        WorkerParams cur = w.config().params();
        int lbfactor = cur.lbfactor();
        if (p.given("w_lf")) {
            lbfactor = loadfactor(p.get("w_lf"));
        }
        int lbset = p.given("w_ls") ? integer(p.get("w_ls"), "w_ls (lbset)", 0, 99) : cur.lbset();
        String route = p.has("w_wr") ? routeName(p.get("w_wr"), "w_wr (route)") : cur.route();
        String redirect = p.has("w_rr") ? routeName(p.get("w_rr"), "w_rr (redirect)") : cur.redirect();
        HealthCheck hc = healthCheck(p, cur.healthCheck());
        String unfit = HealthCheck.unfit(hc.method(), w.config().backendScheme());
        if (unfit != null && !hc.method().equals(cur.healthCheck().method())) {
            throw EditRefused.badValue("w_hm (hcmethod): hcmethod " + hc.method() + " on " + w.name() + " " + unfit);
        }
        for (char letter : EDITABLE_FLAGS.toCharArray()) {
            String field = "w_status_" + letter;
            if (p.given(field)) {
                StatusFlag f = StatusFlag.ofLetter(letter);
                boolean on = flag(p, field, false);
                plan.flags.put(f, on);
                if (w.has(f) != on) {
                    plan.changes.add(w.name() + ": " + (on ? "set " : "cleared ") + letter + " (" + f.label() + ")");
                }
            }
        }
        describe(plan, w.name() + ": loadfactor", fmt(cur.lbfactor()), fmt(lbfactor));
        describe(plan, w.name() + ": lbset", cur.lbset(), lbset);
        describe(plan, w.name() + ": route", cur.route(), route);
        describe(plan, w.name() + ": redirect", cur.redirect(), redirect);
        describe(plan, w.name() + ": health check", cur.healthCheck(), hc);
        plan.worker = w;
        plan.workerConfig = w.config().withParams(WorkerParams.copy(cur).setLbfactor(lbfactor).setLbset(lbset)
                .setRoute(route).setRedirect(redirect).setHealthCheck(hc).build());
    }

    private HealthCheck healthCheck(EditParams p, HealthCheck cur) throws EditRefused {
        String method = cur.method();
        if (p.given("w_hm")) {
            method = p.get("w_hm").trim().toUpperCase(Locale.ROOT);
            if (!HealthCheck.METHODS.contains(method)) {
                throw EditRefused.badValue("w_hm (hcmethod): '" + p.get("w_hm") + "' is not a health-check method: use "
                        + String.join(", ", HealthCheck.METHODS));
            }
        }
        Duration interval = cur.interval();
        if (p.given("w_hi")) {
            Matcher m = HC_INTERVAL.matcher(p.get("w_hi").trim());
            String allowed = ": use a whole number of ms (or with a unit ms, s, mi, h), at least 100ms and at most 24h";
            if (!m.matches()) {
                throw EditRefused.badValue("w_hi (hcinterval): '" + p.get("w_hi") + "' is not a duration" + allowed);
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            interval = switch (unit) {
                case "s" -> Duration.ofSeconds(n);
                case "mi" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMillis(n);
            };
            if (interval.toMillis() < 100 || interval.compareTo(Duration.ofHours(24)) > 0) {
                throw EditRefused.badValue("w_hi (hcinterval): '" + p.get("w_hi") + "' is out of range" + allowed);
            }
        }
        int passes = p.given("w_hp") ? integer(p.get("w_hp"), "w_hp (hcpasses)", 1, 100_000) : cur.passes();
        int fails = p.given("w_hf") ? integer(p.get("w_hf"), "w_hf (hcfails)", 1, 100_000) : cur.fails();
        String uri = p.has("w_hu") ? p.get("w_hu").trim() : cur.uri();
        if (uri.length() > 63 || !uri.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw EditRefused.badValue("w_hu (hcuri): use at most 63 visible ASCII characters without spaces");
        }
        String expr = p.has("w_he") ? p.get("w_he").trim() : cur.expr();
        if (!expr.isEmpty() && !hcExprs.containsKey(expr)) {
            throw EditRefused.badValue("w_he (hcexpr): there is no hc-expr named '" + expr + "' (defined: "
                    + (hcExprs.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(hcExprs.keySet())))
                    + "); leave it empty for the default test, status 200-399");
        }
        if (method.equals("NONE") || method.equals("TCP")) {
            expr = ""; // httpd clears hcexpr for methods that read no response
        }
        return new HealthCheck(method, uri, interval, passes, fails, expr);
    }

    private void balancerEdit(EditParams p, Balancer b, EditPlan plan) throws EditRefused {
        BalancerConfig cur = b.config();
        boolean touched = false;
        String lbmethod = cur.lbmethod();
        if (p.given("b_lbm")) {
            lbmethod = p.get("b_lbm").trim();
            if (!lbMethods.names().contains(lbmethod)) {
                throw EditRefused.badValue("b_lbm (lbmethod): '" + p.get("b_lbm") + "' is not a registered lbmethod: use "
                        + "one of " + String.join(", ", lbMethods.names()));
            }
            touched = true;
        }
        Duration timeout = cur.timeout() == null ? Duration.ZERO : cur.timeout();
        if (p.given("b_tmo")) {
            timeout = Duration.ofSeconds(integer(p.get("b_tmo"), "b_tmo (timeout, seconds)", 0, 7200));
            touched = true;
        }
        Integer maxAttempts = cur.maxAttempts();
        if (p.given("b_max")) {
            maxAttempts = integer(p.get("b_max"), "b_max (maxattempts)", 0, 99);
            touched = true;
        }
        boolean noFailover = cur.noFailover();
        if (p.given("b_sforce")) {
            noFailover = flag(p, "b_sforce", false);
            touched = true;
        }
        String cookie = cur.stickyCookie();
        String path = cur.stickyPath();
        if (p.given("b_ss")) {
            String ss = p.get("b_ss").trim();
            touched = true;
            if ("-".equals(ss)) {
                if (cur.affinity().routeCookie() || cur.affinity().learned()) {
                    throw EditRefused.badValue("b_ss (stickysession): " + cur.url() + " uses route-cookie or "
                            + "learned-affinity, which need a sticky session; it cannot be deleted here");
                }
                cookie = "";
                path = "";
            } else {
                int bar = ss.indexOf('|');
                cookie = bar < 0 ? ss : ss.substring(0, bar).trim();
                path = bar < 0 ? ss : ss.substring(bar + 1).trim();
                if (ss.length() > 63 || !TOKEN.matcher(cookie).matches() || !TOKEN.matcher(path).matches()
                        || path.indexOf('|') >= 0) {
                    throw EditRefused.badValue("b_ss (stickysession): '" + ss + "' is not NAME or COOKIE|PARAMETER "
                            + "(cookie-name characters, at most 63 in all); use - to delete the sticky session");
                }
            }
        }
        if (p.given("b_nwrkr")) {
            newMember(p, b, plan);
        }
        if (!touched) {
            return;
        }
        describe(plan, cur.url() + ": lbmethod", cur.lbmethod(), lbmethod);
        describe(plan, cur.url() + ": timeout", seconds(cur.timeout()), seconds(timeout));
        describe(plan, cur.url() + ": maxattempts", cur.effectiveMaxAttempts(),
                maxAttempts == null ? cur.effectiveMaxAttempts() : maxAttempts);
        describe(plan, cur.url() + ": nofailover", cur.noFailover() ? "On" : "Off", noFailover ? "On" : "Off");
        describe(plan, cur.url() + ": stickysession", sticky(cur.stickyCookie(), cur.stickyPath()), sticky(cookie, path));
        plan.balancerConfig = BalancerConfigs.withSettings(cur, lbmethod, cookie, path, noFailover, maxAttempts, timeout);
        if (!lbmethod.equals(cur.lbmethod())) {
            plan.method = lbMethods.create(lbmethod);
        }
    }

    private static void newMember(EditParams p, Balancer b, EditPlan plan) throws EditRefused {
        String url = EditParams.name(p.get("b_nwrkr"));
        if (!flag(p, "b_wyes", false)) {
            throw EditRefused.badValue("b_wyes: adding member '" + url + "' needs the confirmation box ticked (b_wyes=1)");
        }
        WorkerConfig wc;
        try {
            wc = AddedMember.config(url);
        } catch (IllegalArgumentException e) {
            throw EditRefused.badValue("b_nwrkr (new member URL): " + e.getMessage());
        }
        if (b.member(wc.name()) != null) {
            throw EditRefused.badValue("b_nwrkr (new member URL): " + wc.name() + " is already a member of "
                    + b.config().url());
        }
        if (b.members().size() >= b.maxMembers()) {
            throw EditRefused.badValue("b_nwrkr (new member URL): " + b.config().url() + " has no free growth slot: "
                    + "MaxMembers is " + b.maxMembers() + " and " + b.members().size() + " are used; raise growth on "
                    + "this balancer in the descriptor");
        }
        plan.newMember = wc;
        plan.changes.add(b.config().url() + ": added member " + wc.name() + " (disabled: enable it with w_status_D=0)");
    }

    static int loadfactor(String text) throws EditRefused {
        String allowed = ": use a number from 1 to 100 (two decimals at most count)";
        BigDecimal lf;
        try {
            lf = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw EditRefused.badValue("w_lf (loadfactor): '" + text + "' is not a number" + allowed);
        }
        try {
            return WorkerParams.lbfactor(lf);
        } catch (IllegalArgumentException e) {
            throw EditRefused.badValue("w_lf (loadfactor): '" + text + "' is out of range" + allowed);
        }
    }

    static int integer(String text, String field, int min, int max) throws EditRefused {
        String allowed = ": use a whole number from " + min + " to " + max;
        String t = text.trim();
        if (!t.matches("-?\\d{1,9}")) {
            throw EditRefused.badValue(field + ": '" + text + "' is not a whole number" + allowed);
        }
        int v = Integer.parseInt(t);
        if (v < min || v > max) {
            throw EditRefused.badValue(field + ": '" + text + "' is out of range" + allowed);
        }
        return v;
    }

    /** httpd's flag fields take a number (non-zero: on); on/off and true/false are accepted too. */
    static boolean flag(EditParams p, String field, boolean absent) throws EditRefused {
        String v = p.get(field);
        if (v == null || v.isBlank()) {
            return absent;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.matches("-?\\d{1,9}")) {
            return Integer.parseInt(t) != 0;
        }
        return switch (t) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw EditRefused.badValue(field + ": '" + v + "' is not a flag value: use 1 (on) or 0 (off)");
        };
    }

    private static String routeName(String text, String field) throws EditRefused {
        String t = text.trim();
        if (t.length() > 63 || !VISIBLE.matcher(t).matches()) {
            throw EditRefused.badValue(field + ": '" + text + "' is not allowed: use at most 63 visible ASCII "
                    + "characters without spaces, quotes, commas, semicolons or backslashes (empty clears it)");
        }
        return t;
    }

    private static void describe(EditPlan plan, String what, Object before, Object after) {
        if (!before.equals(after)) {
            plan.changes.add(what + " " + show(before) + " -> " + show(after));
        }
    }

    private static String show(Object o) {
        String s = o.toString();
        return s.isEmpty() ? "(none)" : s;
    }

    private static String fmt(int lbfactor) {
        return String.format(Locale.ROOT, "%.2f", lbfactor / 100.0);
    }

    private static String seconds(Duration d) {
        return (d == null ? 0 : d.toSeconds()) + "s";
    }

    static String sticky(String cookie, String path) {
        if (cookie.isEmpty()) {
            return "(None)";
        }
        return cookie.equals(path) ? cookie : cookie + " | " + path;
    }

    private static String memberNames(Balancer b) {
        List<String> names = new ArrayList<>();
        for (Worker w : b.members()) {
            names.add(w.name());
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
