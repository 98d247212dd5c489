package org.portico.importer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks an httpd configuration tree and builds the {@link ProxyModel} of the one server it describes:
 * the main server, plus the chosen {@code <VirtualHost>}. Everything it cannot carry over is reported
 * with its file and line; what httpd would refuse stops the import. Not thread-safe: one per import.
 */
final class HttpdImporter {

    private static final Set<String> CONDITIONALS = Set.of("ifdefine", "ifversion", "iffile", "ifdirective", "ifsection");
    private static final Set<String> OTHER_CONTAINERS = Set.of("directory", "directorymatch", "files", "filesmatch", "if", "elseif",
            "else", "limit", "limitexcept", "requireall", "requireany", "requirenone");
    private static final Set<String> PROXY_DIRECTIVES = Set.of("proxypass", "proxypassmatch", "proxypassreverse",
            "proxypassreversecookiedomain", "proxypassreversecookiepath", "balancermember", "proxyset", "proxypreservehost",
            "proxyaddheaders", "proxy100continue", "proxyerroroverride");
    private static final Pattern PROXY_MODULE = Pattern.compile("(?i)(proxy|lbmethod|slotmem|watchdog|heartmonitor).*");

    private final ImportReport report;
    private final ProxyModel model = new ProxyModel();
    private final MappingDirectives mapping;
    private final BalancerDirectives balancers;
    private final ServerSettings settings;
    private final ManagerAccess managerAccess;
    private final Scope main = new Scope();
    private final Scope vhost = new Scope();
    private VirtualHosts.VirtualHost chosen;
    private final LoadedModules modules = new LoadedModules();
    private final RouteCookieRecipe routeCookies = new RouteCookieRecipe();

    /** The rules of one server, kept apart by where httpd looks at them. */
    private static final class Scope {
        final List<ProxyModel.Rule> serverRules = new ArrayList<>();
        final List<ProxyModel.Rule> locationPasses = new ArrayList<>();
        final List<ProxyModel.Rule> locationRules = new ArrayList<>();
        boolean inheritPasses = true;
    }

    HttpdImporter(ImportReport report) {
        this.report = report;
        Params params = new Params(model, report);
        this.mapping = new MappingDirectives(model, report, params, this::addRule);
        this.balancers = new BalancerDirectives(model, report, params);
        this.settings = new ServerSettings(model, report);
        this.managerAccess = new ManagerAccess(report);
    }

    ProxyModel run(List<ConfigNode> root, VirtualHosts.VirtualHost virtualHost) throws ImportException {
        this.chosen = virtualHost;
        walk(root, Context.server(false));
        settings.finish();
        routeCookies.apply(model, report);
        assembleRules();
        checkBalancers();
        model.managerAllow = managerAccess.allowList();
        return model;
    }

    private void addRule(Context ctx, ProxyModel.Rule rule) {
        Scope scope = ctx.vhost() ? vhost : main;
        if (ctx.location() == null) {
            scope.serverRules.add(rule);
        } else if (rule.element().startsWith("pass")) {
            scope.locationPasses.add(rule);
        } else {
            scope.locationRules.add(rule);
        }
    }

    private void walk(List<ConfigNode> nodes, Context ctx) throws ImportException {
        for (ConfigNode n : nodes) {
            if (n instanceof ConfigNode.Section s) {
                section(s, ctx);
            } else {
                directive((ConfigNode.Directive) n, ctx);
            }
        }
    }

    private void section(ConfigNode.Section s, Context ctx) throws ImportException {
        String key = s.key();
        if (key.equals("virtualhost")) {
            if (ctx.vhost() || ctx.location() != null || ctx.proxy() != null || ctx.container() != null) {
                throw new ImportException(s.where(), "<VirtualHost> cannot occur " + ctx.describe());
            }
            if (chosen != null && chosen.section() == s) {
                walk(s.body(), Context.server(true));
            } else {
                report.notImported(s.where(), s.tag() + " and its " + s.body().size() + " directives and sections",
                        "a descriptor describes one server, and " + (chosen == null ? "the main server"
                                : "<VirtualHost " + chosen.section().argText() + "> at " + chosen.section().where())
                                + " is the one imported (--vhost NAME chooses another)");
            }
        } else if (key.equals("ifmodule")) {
            if (s.args().size() != 1) {
                throw new ImportException(s.where(), "<IfModule> takes one module name, as in <IfModule mod_proxy.c>");
            }
            if (modules.holds(s.args().get(0))) {
                walk(s.body(), ctx);
            } else {
                report.notImported(s.where(), s.tag() + " and its " + s.body().size() + " directives and sections",
                        "the condition is false (no LoadModule before it names the module), so httpd skips it too");
            }
        } else if (CONDITIONALS.contains(key)) {
            report.warning(s.where(), s.tag() + ": its contents are imported as written (the condition is not evaluated)");
            walk(s.body(), ctx);
        } else if (key.equals("location") || key.equals("locationmatch")) {
            if (ctx.location() != null || ctx.proxy() != null || ctx.container() != null) {
                throw new ImportException(s.where(), "<" + s.name() + "> cannot occur " + ctx.describe());
            }
            boolean regex = key.equals("locationmatch");
            List<String> a = s.args();
            if (!a.isEmpty() && a.get(0).equals("~")) {
                regex = true;
                a = a.subList(1, a.size());
            }
            if (a.isEmpty()) {
                throw new ImportException(s.where(), "<" + s.name() + "> block must specify a path");
            }
            List<ConfigNode> body = s.body();
            if (ManagerAccess.targetsManager(a.get(0), regex)) {
                // its client addresses become portico.manager-allow; the other lines are imported as anywhere else
                managerAccess.take(s, body.stream().filter(ManagerAccess::isAccessRule).toList());
                body = body.stream().filter(n -> !ManagerAccess.isAccessRule(n)).toList();
            }
            walk(body, ctx.inLocation(a.get(0), regex));
        } else if (key.equals("proxy") || key.equals("proxymatch")) {
            if (ctx.location() != null || ctx.proxy() != null || ctx.container() != null) {
                throw new ImportException(s.where(), "<" + s.name() + "> cannot occur " + ctx.describe());
            }
            if (s.args().isEmpty()) {
                throw new ImportException(s.where(), "<" + s.name() + " > block must specify a path");
            }
            String url = s.args().get(0);
            if (url.regionMatches(true, 0, "proxy:", 0, 6)) {
                url = url.substring(6);
            }
            Context inside = ctx.inProxy(url, key.equals("proxymatch"));
            if (key.equals("proxy") && ProxyModel.isBalancer(url)
                    && (s.args().size() > 1 || s.body().stream().anyMatch(n -> n instanceof ConfigNode.Directive d
                    && (d.key().equals("balancermember") || d.key().equals("proxyset"))))) {
                model.balancer(ProxyModel.balancerName(url), s.where());
            }
            walk(s.body(), inside);
            if (s.args().size() > 1) {
                balancers.sectionParameters(s, inside);
            }
        } else if (OTHER_CONTAINERS.contains(key)) {
            walk(s.body(), ctx.inContainer(s.tag()));
        } else if (key.equals("macro")) {
            report.notImported(s.where(), s.tag(), "mod_macro is not Portico's: its body is a template, not configuration");
        } else {
            report.notImported(s.where(), s.tag() + " and its " + s.body().size() + " directives and sections", "no Portico equivalent");
        }
    }

    private void directive(ConfigNode.Directive d, Context ctx) throws ImportException {
        String k = d.key();
        if (ctx.container() != null) {
            String c = ctx.container().toLowerCase(Locale.ROOT);
            if (PROXY_DIRECTIVES.contains(k) && (c.startsWith("<directory") || c.startsWith("<files"))) {
                throw new ImportException(d.where(), d.name() + " cannot occur " + ctx.describe());
            }
            report.notImported(d.where(), d.text(), ctx.describe() + ": " + (PROXY_DIRECTIVES.contains(k)
                    ? "conditional and per-directory sections are not imported" : Unsupported.reason(k)));
            return;
        }
        if (ctx.proxy() != null) {
            switch (k) {
                case "balancermember" -> balancers.member(d, ctx);
                case "proxyset" -> {
                    if (ctx.proxyMatch()) {
                        report.notImported(d.where(), d.text(), "<ProxyMatch> workers have no Portico equivalent");
                    } else {
                        balancers.proxySet(d, ctx);
                    }
                }
                default -> report.notImported(d.where(), d.text(), ctx.describe() + ": " + (k.startsWith("proxy") || k.startsWith("balancer")
                        ? "only BalancerMember and ProxySet are imported from a <Proxy> section" : Unsupported.reason(k)));
            }
            return;
        }
        switch (k) {
            case "proxypass", "proxypassmatch" -> mapping.pass(d, ctx);
            case "proxypassreverse" -> mapping.reverse(d, ctx);
            case "proxypassreversecookiedomain", "proxypassreversecookiepath" -> mapping.cookie(d, ctx);
            case "balancermember" -> balancers.member(d, ctx);
            case "proxyset" -> balancers.proxySet(d, ctx);
            case "proxyhcexpr" -> balancers.hcExpr(d);
            case "proxyhctemplate" -> balancers.hcTemplate(d);
            case "proxypassinherit" -> passInherit(d, ctx);
            case "proxyrequests" -> {
                if (!"off".equalsIgnoreCase(d.argText())) {
                    report.notImported(d.where(), d.text(), Unsupported.reason(k));
                }
            }
            case "sethandler" -> handler(d, ctx);
            case "header" -> {
                if (ctx.location() != null || ctx.proxy() != null || ctx.container() != null || !routeCookies.take(d)) {
                    report.notImported(d.where(), d.text(), Unsupported.reason(k));
                }
            }
            case "loadmodule" -> {
                if (!d.args().isEmpty()) {
                    modules.load(d.args().get(0));
                }
                if (d.args().isEmpty() || !PROXY_MODULE.matcher(d.args().get(0)).matches()) {
                    report.notImported(d.where(), d.text(), "Portico loads no modules: the proxy, balancer and health-check"
                            + " modules are built in, and nothing else is");
                }
            }
            default -> {
                if (!settings.apply(d, ctx)) {
                    report.notImported(d.where(), d.text(), Unsupported.reason(k));
                }
            }
        }
    }

    private void passInherit(ConfigNode.Directive d, Context ctx) throws ImportException {
        String flag = HttpdValues.onOff(d.argText());
        if (flag == null) {
            throw new ImportException(d.where(), "ProxyPassInherit must be On or Off");
        }
        if (!ctx.vhost() || ctx.location() != null) {
            report.notImported(d.where(), d.text(), "it concerns virtual hosts, and only the main server is imported");
        } else if (flag.equals("false")) {
            vhost.inheritPasses = false;
        }
    }

    private void handler(ConfigNode.Directive d, Context ctx) {
        if (!d.args().isEmpty() && d.args().get(0).equalsIgnoreCase("balancer-manager")) {
            String at = ctx.location() == null ? "" : "<Location " + ctx.location() + "> ";
            boolean samePath = "/balancer-manager".equals(ctx.location());
            report.note(d.where(), at + d.text() + ": handled by the WAR's /balancer-manager (protect it with the container's realm)"
                    + (samePath || ctx.location() == null ? "" : "; it is served at /balancer-manager, not at " + ctx.location()));
        } else {
            report.notImported(d.where(), d.text(), "Portico has no handlers of its own besides the proxy and the balancer-manager");
        }
    }

    /**
     * Puts the rules in the order the descriptor tries them. httpd looks at a {@code <Location>}'s
     * ProxyPass before the server's list, and of several matching Locations the last one in the
     * configuration wins (later sections are merged over earlier ones); the main server's rules come
     * before the virtual host's.
     */
    private void assembleRules() {
        List<ProxyModel.Rule> locationPasses = new ArrayList<>(main.locationPasses);
        locationPasses.addAll(vhost.locationPasses);
        Collections.reverse(locationPasses);
        model.rules.addAll(locationPasses);
        for (ProxyModel.Rule r : main.serverRules) {
            if (!vhost.inheritPasses && r.element().startsWith("pass")) {
                report.notImported(r.where(), r.element() + " rule of the main server",
                        "the virtual host says ProxyPassInherit Off (as httpd's manual describes it; httpd 2.4's code keeps them)");
            } else {
                model.rules.add(r);
            }
        }
        model.rules.addAll(vhost.serverRules);
        model.rules.addAll(main.locationRules);
        model.rules.addAll(vhost.locationRules);
        reportShadowedPasses();
    }

    /** A prefix rule that an earlier prefix rule always wins over is never used: say so, as httpd would not. */
    private void reportShadowedPasses() {
        List<ProxyModel.Rule> earlier = new ArrayList<>();
        for (ProxyModel.Rule r : model.rules) {
            if (!r.element().equals("pass") || r.comment() != null) {
                continue;
            }
            String path = r.attributes().get("path");
            for (ProxyModel.Rule e : earlier) {
                if (covers(e.attributes().get("path"), path)) {
                    report.warning(r.where(), "never used: the rule for " + path + " comes after the one for "
                            + e.attributes().get("path") + " (" + e.where() + "), which matches every request path this one"
                            + " does; the first matching rule wins, in httpd as in Portico (imported in httpd's order)");
                    break;
                }
            }
            earlier.add(r);
        }
    }

    /** Whether every request path that httpd's alias_match takes for {@code later} is also taken for {@code first}. */
    static boolean covers(String first, String later) {
        String f = first.replaceAll("/+", "/");
        String l = later.replaceAll("/+", "/");
        return l.startsWith(f) && (f.endsWith("/") || l.length() == f.length() || l.charAt(f.length()) == '/');
    }

    private void checkBalancers() {
        model.rules.replaceAll(r -> {
            String url = r.attributes().get("url");
            if (r.comment() == null && r.element().equals("reverse") && url != null && ProxyModel.isBalancer(url)
                    && !model.balancers.containsKey(ProxyModel.balancerName(url))) {
                String why = "names balancer://" + ProxyModel.balancerName(url) + ", which no ProxyPass, BalancerMember or <Proxy> defines";
                report.notImported(r.where(), "ProxyPassReverse " + r.attributes().get("path") + " " + url, why);
                return new ProxyModel.Rule(r.element(), r.attributes(), r.where(), "ProxyPassReverse " + r.attributes().get("path")
                        + " " + url + ": not imported: " + why);
            }
            return r;
        });
        for (ProxyModel.BalancerEntry b : model.balancers.values()) {
            if (b.members.stream().noneMatch(m -> m.comment() == null)) {
                report.warning(b.where, "balancer://" + b.name + " has no " + (b.members.isEmpty() ? "" : "usable ")
                        + "members: requests to it get 503 until members are added (balancer-manager)");
            }
        }
    }
}
