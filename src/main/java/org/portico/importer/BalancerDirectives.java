package org.portico.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.portico.health.HcExpression;

/**
 * Translates mod_proxy_balancer's and mod_proxy_hcheck's directives (BalancerMember, ProxySet,
 * {@code <Proxy url k=v>}, ProxyHCExpr, ProxyHCTemplate) into the model's balancers, workers and health
 * checks, checking them as httpd's {@code add_member}, {@code set_proxy_param} and {@code proxysection}
 * do. Not thread-safe: one per import.
 */
final class BalancerDirectives {

    private final ProxyModel model;
    private final ImportReport report;
    private final Params params;

    BalancerDirectives(ProxyModel model, ImportReport report, Params params) {
        this.model = model;
        this.report = report;
        this.params = params;
    }

    // ------------------------------------------------------------------ BalancerMember, ProxySet, <Proxy url k=v>

    void member(ConfigNode.Directive d, Context ctx) throws ImportException {
        String balancerUrl = ctx.proxy();
        if (balancerUrl == null && ctx.location() != null) {
            throw new ImportException(d.where(), "BalancerMember " + ctx.describe() + ": put it in a <Proxy balancer://...>"
                    + " section, or outside any section with the balancer URL as its first argument");
        }
        String url = null;
        List<Params.Param> keyValues = new ArrayList<>();
        for (String word : d.args()) {
            if (word.indexOf('=') >= 0) {
                keyValues.add(Params.Param.of(word));
            } else if (balancerUrl == null) {
                balancerUrl = word;
            } else if (url == null) {
                url = word;
            } else {
                throw new ImportException(d.where(), ctx.proxy() != null
                        ? "BalancerMember can not have a balancer name when defined in a location"
                        : "Invalid BalancerMember parameter. Parameter must be in the form 'key=value' (" + word + ")");
            }
        }
        if (balancerUrl == null) {
            throw new ImportException(d.where(), "BalancerMember must define balancer name when outside <Proxy > section");
        }
        if (url == null) {
            throw new ImportException(d.where(), "BalancerMember must define remote proxy server");
        }
        if (!ProxyModel.isBalancer(balancerUrl) || ProxyModel.balancerName(balancerUrl).isEmpty()) {
            throw new ImportException(d.where(), "BalancerMember: '" + balancerUrl + "' is not a balancer name (balancer://name)");
        }
        ProxyModel.BalancerEntry b = model.balancer(ProxyModel.balancerName(balancerUrl), d.where());
        String label = "BalancerMember";
        switch (Scheme.of(url)) {
            case PROXIED -> {
                ProxyModel.Member shared = b.sharedBy(url).orElse(null);
                if (shared != null) {
                    params.validateWorker(label, keyValues, d.where());
                    report.warning(d.where(), "BalancerMember " + url + " shares the worker of member " + shared.url() + " ("
                            + shared.where() + "), whose URL prefixes it: httpd keeps one member for both"
                            + (keyValues.isEmpty() ? "" : " and ignores " + keyValues) + "; imported the same way");
                    return;
                }
                ProxyModel.Attributes a = new ProxyModel.Attributes();
                for (Params.Param p : keyValues) {
                    params.worker(label, p, a, d.where());
                }
                params.fitToScheme(url, a, d.where());
                b.members.add(new ProxyModel.Member(url, a, d.where(), null));
            }
            case NONE -> throw new ImportException(d.where(), "BalancerMember URL must be absolute!: " + url);
            default -> {
                params.validateWorker(label, keyValues, d.where());
                report.notImported(d.where(), d.text(), Scheme.unsupported(url));
                b.members.add(new ProxyModel.Member(url, null, d.where(), d.text() + ": not imported: "
                        + Scheme.unsupported(url)));
            }
        }
    }

    void proxySet(ConfigNode.Directive d, Context ctx) throws ImportException {
        List<String> words = d.args();
        if (ctx.proxy() != null) {
            set("ProxySet", ctx.proxy(), words, true, d);
        } else {
            if (words.isEmpty()) {
                throw new ImportException(d.where(), "ProxySet needs a worker or balancer URL and key=value parameters");
            }
            set("ProxySet", words.get(0), words.subList(1, words.size()), false, d);
        }
    }

    /** The key=value arguments of {@code <Proxy url k=v>}, applied after the section's contents, as httpd does. */
    void sectionParameters(ConfigNode.Section s, Context ctx) throws ImportException {
        String url = ctx.proxy();
        List<String> words = s.args().subList(1, s.args().size());
        String label = "<" + s.name() + ">";
        if (ctx.proxyMatch()) {
            report.notImported(s.where(), s.tag(), "<ProxyMatch> workers have no Portico equivalent");
            return;
        }
        if (url.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
            throw new ImportException(s.where(), label + " arguments are not supported for wildchar url.");
        }
        if (url.indexOf(':') < 0) {
            throw new ImportException(s.where(), label + " arguments are not supported for non url.");
        }
        ConfigNode.Directive asDirective = new ConfigNode.Directive(s.name(), s.argText(), s.args(), s.where());
        set(label, url, words, true, asDirective);
    }

    private void set(String label, String name, List<String> words, boolean inSection, ConfigNode.Directive d) throws ImportException {
        List<Params.Param> keyValues = new ArrayList<>();
        for (String word : words) {
            if (word.indexOf('=') < 0) {
                throw new ImportException(d.where(), "Invalid " + (label.startsWith("<") ? "Proxy" : "ProxySet")
                        + " parameter. Parameter must be in the form 'key=value' (" + word + ")");
            }
            keyValues.add(Params.Param.of(word));
        }
        switch (Scheme.of(name)) {
            case BALANCER -> {
                String bName = ProxyModel.balancerName(name);
                ProxyModel.BalancerEntry b = model.balancers.get(bName);
                if (b == null) {
                    if (!inSection) {
                        throw new ImportException(d.where(), "ProxySet can not find '" + name + "' Balancer.");
                    }
                    b = model.balancer(bName, d.where());
                }
                for (Params.Param p : keyValues) {
                    params.balancer(label, p, b.attributes, d.where());
                }
            }
            case PROXIED -> {
                ProxyModel.WorkerEntry w = model.workerFor(name).orElse(null);
                if (w == null) {
                    if (!inSection) {
                        throw new ImportException(d.where(), "ProxySet can not find '" + name + "' Worker.");
                    }
                    w = new ProxyModel.WorkerEntry(name, d.where());
                    model.workers.add(w);
                }
                for (Params.Param p : keyValues) {
                    params.worker(label, p, w.attributes, d.where());
                }
                params.fitToScheme(name, w.attributes, d.where());
                w.declared |= !w.attributes.isEmpty();
            }
            default -> report.notImported(d.where(), d.text(), name.equals("*") || name.indexOf(':') < 0
                    ? "'" + name + "' is not a worker or balancer URL" : Scheme.unsupported(name));
        }
    }

    // ------------------------------------------------------------------ mod_proxy_hcheck

    void hcExpr(ConfigNode.Directive d) throws ImportException {
        List<String> w = Words.splitWithBraces(d.argText());
        if (w.isEmpty() || w.get(0).isEmpty()) {
            throw new ImportException(d.where(), "Missing expression name for " + d.name());
        }
        String name = w.get(0);
        if (name.length() > 15) {
            throw new ImportException(d.where(), "Expression name limited to 15 characters (" + name + ")");
        }
        if (w.size() < 2 || w.get(1).isEmpty()) {
            throw new ImportException(d.where(), "Missing expression for " + d.name());
        }
        if (w.size() > 2) {
            throw new ImportException(d.where(), d.name() + ": error: extra parameter(s)");
        }
        try {
            HcExpression.parse(w.get(1));
        } catch (HcExpression.Unsupported e) {
            // Portico refuses to start with it, so the import says so where the operator wrote it
            throw new ImportException(d.where(), d.name() + " " + name + " cannot be evaluated by Portico: " + e.getMessage());
        }
        model.hcExprs.put(name.toLowerCase(Locale.ROOT), new ProxyModel.HcExpr(name, w.get(1), d.where()));
    }

    void hcTemplate(ConfigNode.Directive d) throws ImportException {
        List<String> w = d.args();
        if (w.isEmpty()) {
            throw new ImportException(d.where(), "Missing template name for " + d.name());
        }
        String name = w.get(0);
        ProxyModel.Attributes a = new ProxyModel.Attributes();
        for (String word : w.subList(1, w.size())) {
            if (word.indexOf('=') < 0) {
                throw new ImportException(d.where(), "Invalid ProxyHCTemplate parameter. Parameter must be in the form 'key=value'");
            }
            params.template("ProxyHCTemplate", Params.Param.of(word), a, d.where());
        }
        ProxyModel.HcTemplate earlier = model.hcTemplates.get(name.toLowerCase(Locale.ROOT));
        if (earlier != null) {
            report.warning(d.where(), "ProxyHCTemplate " + name + " is defined at " + earlier.where()
                    + " already; httpd uses the first definition, and so does the import");
            return;
        }
        model.hcTemplates.put(name.toLowerCase(Locale.ROOT), new ProxyModel.HcTemplate(name, a, d.where()));
    }

}
