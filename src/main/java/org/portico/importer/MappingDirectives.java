package org.portico.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates mod_proxy's mapping directives (ProxyPass, ProxyPassMatch, ProxyPassReverse and the cookie
 * rewrites) into rules of the model, with the workers and balancers their targets imply, checking their
 * syntax as httpd's {@code add_pass} and {@code add_pass_reverse} do. Not thread-safe: one per import.
 */
final class MappingDirectives {

    /** Receives a rule with the place it was written in, which decides where it goes in the descriptor. */
    interface RuleSink {
        void add(Context context, ProxyModel.Rule rule);
    }

    private static final Pattern BACKREFERENCE = Pattern.compile("\\$[0-9]");

    private final ProxyModel model;
    private final ImportReport report;
    private final Params params;
    private final RuleSink rules;

    MappingDirectives(ProxyModel model, ImportReport report, Params params, RuleSink rules) {
        this.model = model;
        this.report = report;
        this.params = params;
        this.rules = rules;
    }

    // ------------------------------------------------------------------ ProxyPass, ProxyPassMatch

    void pass(ConfigNode.Directive d, Context ctx) throws ImportException {
        boolean regex = d.key().equals("proxypassmatch");
        String path = ctx.location();
        if (path != null && ctx.locationRegex()) {
            regex = true;
        }
        String url = null;
        boolean nocanon = false;
        boolean noquery = false;
        boolean interpolate = false;
        List<Params.Param> keyValues = new ArrayList<>();
        for (String word : d.args()) {
            if (path == null) {
                if (word.equals("~")) {
                    if (regex) {
                        throw new ImportException(d.where(), "ProxyPassMatch invalid syntax ('~' usage).");
                    }
                    regex = true;
                    continue;
                }
                path = word;
            } else if (url == null) {
                url = word;
            } else if (word.equalsIgnoreCase("nocanon")) {
                nocanon = true;
            } else if (word.equalsIgnoreCase("noquery")) {
                noquery = true;
            } else if (word.equalsIgnoreCase("interpolate")) {
                interpolate = true;
            } else if (word.indexOf('=') < 0) {
                throw new ImportException(d.where(), ctx.location() != null && url.startsWith("/")
                        ? "ProxyPass|ProxyPassMatch can not have a path when defined in a location."
                        : "Invalid ProxyPass|ProxyPassMatch parameter. Parameter must be in the form 'key=value'. ("
                        + word + ")");
            } else {
                Params.Param p = Params.Param.of(word);
                if (p.lowerKey().equals("mapping")) {
                    if (!p.value().equalsIgnoreCase("encoded") && !p.value().equalsIgnoreCase("servlet")) {
                        throw new ImportException(d.where(), d.name() + ": unknown mapping (" + p + ")");
                    }
                    report.notImported(d.where(), d.name() + " ... " + p, "Portico maps the decoded, normalised path;"
                            + " the container decides how ;parameters and encoded characters are normalised");
                } else {
                    keyValues.add(p);
                }
            }
        }
        if (url == null) {
            throw new ImportException(d.where(), "ProxyPass|ProxyPassMatch needs a path when not defined in a location");
        }
        if (interpolate) {
            report.warning(d.where(), d.name() + " ... interpolate: Portico does not interpolate ${...} per request;"
                    + " the rule is taken as written");
        }
        String element = regex ? "pass-match" : "pass";
        ProxyModel.Attributes a = new ProxyModel.Attributes();
        a.put(regex ? "pattern" : "path", path);
        if (regex) {
            try {
                Pattern.compile(path);
            } catch (PatternSyntaxException e) {
                throw new ImportException(d.where(), "Regular expression could not be compiled: " + e.getDescription()
                        + " near index " + e.getIndex() + " of " + path);
            }
        } else if (!path.startsWith("/")) {
            report.notImported(d.where(), d.text(), "a ProxyPass path must start with / in Portico");
            return;
        }
        if (url.equals("!")) {
            if (!keyValues.isEmpty()) {
                report.warning(d.where(), "parameters of an exclusion (!) are ignored, as in httpd");
            }
            a.put("exclude", "true");
            rules.add(ctx, new ProxyModel.Rule(element, a, d.where(), null));
            return;
        }
        String label = "ProxyPass";
        switch (Scheme.of(url)) {
            case BALANCER -> {
                ProxyModel.BalancerEntry b = model.balancer(ProxyModel.balancerName(url), d.where());
                for (Params.Param p : keyValues) {
                    params.balancer(label, p, b.attributes, d.where());
                }
            }
            case PROXIED -> directWorker(url, keyValues, d.where(), label);
            case NONE -> throw new ImportException(d.where(), "ProxyPass URL must be absolute!: " + url);
            default -> {
                params.validateWorker(label, keyValues, d.where());
                report.notImported(d.where(), d.text(), Scheme.unsupported(url));
                rules.add(ctx, new ProxyModel.Rule(element, a, d.where(), d.text() + ": not imported: " + Scheme.unsupported(url)));
                return;
            }
        }
        a.put("to", url);
        if (nocanon) {
            a.put("nocanon", "true");
        }
        if (noquery) {
            a.put("noquery", "true");
        }
        if (regex && !BACKREFERENCE.matcher(url).find()) {
            report.warning(d.where(), d.name() + " " + path + " " + url + ": the URL has no $1..$9, so the whole request path is"
                    + " appended to it, as httpd does (Portico does the same)");
        }
        if (!regex && path.endsWith("/") != url.endsWith("/")) {
            report.warning(d.where(), "path '" + path + "' and URL '" + url + "' disagree on the trailing slash: the rest of the"
                    + " request path is appended as it is, so this can produce URLs like http://b/appx or http://b/app//x"
                    + " (as in httpd)");
        }
        rules.add(ctx, new ProxyModel.Rule(element, a, d.where(), null));
    }

    /** A direct worker for a ProxyPass target: shared with an earlier one that prefixes it, else a new one. */
    private void directWorker(String url, List<Params.Param> keyValues, Where where, String label) throws ImportException {
        int group = url.indexOf('$');
        String workerUrl = group < 0 ? url : url.substring(0, group);
        ProxyModel.WorkerEntry shared = model.workerFor(workerUrl).orElse(null);
        if (shared != null) {
            if (!keyValues.isEmpty()) {
                params.validateWorker(label, keyValues, where);
                for (Params.Param p : keyValues) {
                    report.warning(where, "Ignoring parameter '" + p + "' for worker '" + ProxyModel.name(shared.url)
                            + "' because of worker sharing (that worker is defined at " + shared.where
                            + " and its URL prefixes " + url + "), as httpd does");
                }
            }
            return;
        }
        ProxyModel.WorkerEntry w = new ProxyModel.WorkerEntry(workerUrl, where);
        for (Params.Param p : keyValues) {
            params.worker(label, p, w.attributes, where);
        }
        params.fitToScheme(workerUrl, w.attributes, where);
        w.declared = !w.attributes.isEmpty();
        model.workers.add(w);
    }

    // ------------------------------------------------------------------ ProxyPassReverse and the cookie rewrites

    void reverse(ConfigNode.Directive d, Context ctx) throws ImportException {
        List<String> w = d.args();
        if (w.isEmpty() || w.size() > 3) {
            throw new ImportException(d.where(), "ProxyPassReverse takes one, two or three arguments");
        }
        String path;
        String url;
        boolean interpolate;
        if (ctx.location() == null) {
            if (w.size() < 2 || w.get(1).equalsIgnoreCase("interpolate")) {
                throw new ImportException(d.where(), "ProxyPassReverse needs a path when not defined in a location");
            }
            path = w.get(0);
            url = w.get(1);
            interpolate = w.size() > 2;
        } else {
            if (w.size() > 1 && !w.get(1).equalsIgnoreCase("interpolate")) {
                throw new ImportException(d.where(), "ProxyPassReverse can not have a path when defined in a location");
            }
            path = ctx.location();
            url = w.get(0);
            interpolate = w.size() > 1;
        }
        if (interpolate) {
            report.warning(d.where(), "ProxyPassReverse ... interpolate: Portico does not interpolate ${...} per request;"
                    + " the rule is taken as written");
        }
        if (ctx.locationRegex() || !path.startsWith("/")) {
            report.notImported(d.where(), d.text(), ctx.locationRegex()
                    ? "a ProxyPassReverse inside <LocationMatch> takes the regex as its path, which only ever matches literally"
                    : "a ProxyPassReverse path must start with /");
            return;
        }
        ProxyModel.Attributes a = new ProxyModel.Attributes();
        a.put("path", path);
        a.put("url", url);
        switch (Scheme.of(url)) {
            case PROXIED, BALANCER -> rules.add(ctx, new ProxyModel.Rule("reverse", a, d.where(), null));
            case NONE -> {
                if (url.startsWith("/")) {
                    rules.add(ctx, new ProxyModel.Rule("reverse", a, d.where(), null));
                } else {
                    report.notImported(d.where(), d.text(), "Portico needs an absolute URL or a path starting with /");
                }
            }
            default -> report.notImported(d.where(), d.text(), Scheme.unsupported(url));
        }
    }

    void cookie(ConfigNode.Directive d, Context ctx) throws ImportException {
        List<String> w = d.args();
        if (w.size() < 2 || w.size() > 3) {
            throw new ImportException(d.where(), d.name() + " takes two or three arguments");
        }
        if (w.size() == 3) {
            report.warning(d.where(), d.name() + " ... " + w.get(2) + ": Portico does not interpolate ${...} per request;"
                    + " the rule is taken as written");
        }
        if (ctx.location() != null) {
            report.warning(d.where(), d.name() + " " + ctx.describe() + ": Portico applies it to every proxied response,"
                    + " not only to those under that location");
        }
        ProxyModel.Attributes a = new ProxyModel.Attributes();
        a.put("from", w.get(0));
        a.put("to", w.get(1));
        String element = d.key().equals("proxypassreversecookiedomain") ? "reverse-cookie-domain" : "reverse-cookie-path";
        rules.add(ctx, new ProxyModel.Rule(element, a, d.where(), null));
    }

}
