package org.portico.importer;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.portico.config.HealthCheck;

/**
 * mod_proxy_hcheck's {@code hc*} parameters of a worker, and ProxyHCTemplate's, into descriptor attributes,
 * checked and worded as httpd checks them. Not thread-safe: one per import.
 */
final class HealthCheckParams {

    static final Set<String> KEYS = Set.of("hcmethod", "hcuri", "hcinterval", "hcpasses", "hcfails", "hcexpr");

    private final ProxyModel model;
    private final ImportReport report;
    private final ParamReader read;

    HealthCheckParams(ProxyModel model, ImportReport report, ParamReader read) {
        this.model = model;
        this.report = report;
        this.read = read;
    }

    /** Applies a mod_proxy_hcheck parameter to a worker or a template ({@code hctemplate} only to workers). */
    void apply(String directive, Params.Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        String key = p.lowerKey();
        String v = p.value();
        switch (key) {
            case "hctemplate" -> {
                ProxyModel.HcTemplate t = model.hcTemplates.get(v.toLowerCase(Locale.ROOT));
                if (t == null) {
                    throw ParamReader.error(directive, where, "Unknown ProxyHCTemplate name: " + v, p);
                }
                // httpd copies the template's values at this point: earlier hc* keys of the line are overwritten
                List<String> overwritten = into.keySet().stream().filter(KEYS::contains).toList();
                if (!overwritten.isEmpty()) {
                    report.warning(where, p + " replaces " + String.join(", ", overwritten)
                            + " written before it, as in httpd (write hc* keys after hctemplate to override the template)");
                    overwritten.forEach(into::remove);
                }
                into.put(key, t.name());
            }
            case "hcmethod" -> {
                String m = v.toUpperCase(Locale.ROOT);
                if (m.equals("PROVIDER")) {
                    throw ParamReader.error(directive, where, "Health check method " + v + " not (yet) implemented", p);
                } else if (!HealthCheck.METHODS.contains(m)) {
                    throw ParamReader.error(directive, where, "Unknown method", p);
                } else {
                    into.put(key, m);
                }
            }
            case "hcinterval" -> {
                Long ms = HttpdValues.timeoutMillis(v, "s");
                if (ms == null) {
                    throw ParamReader.error(directive, where, "Unparse-able hcinterval setting", p);
                }
                if (ms < 100) {
                    throw ParamReader.error(directive, where, "Interval must be a positive value greater than 100ms", p);
                }
                into.put(key, HttpdValues.duration(ms));
            }
            case "hcpasses", "hcfails" -> into.put(key, Long.toString(read.atLeast(directive, p, where, 0,
                    (key.equals("hcpasses") ? "Passes" : "Fails") + " must be a positive value")));
            case "hcuri" -> {
                if (v.length() >= 64) {
                    throw ParamReader.error(directive, where, "Health check uri length must be < 64 characters", p);
                }
                into.put(key, v);
            }
            case "hcexpr" -> {
                ProxyModel.HcExpr e = model.hcExprs.get(v.toLowerCase(Locale.ROOT));
                if (e == null) {
                    throw ParamReader.error(directive, where, "Unknown health check condition expr: " + v
                            + " (define it with ProxyHCExpr before it is used)", p);
                }
                into.put(key, e.name());
            }
            default -> throw ParamReader.error(directive, where, "unknown Worker hcheck parameter", p);
        }
    }

    /**
     * Applies a ProxyHCTemplate parameter: the hc* keys, and {@code hctemplate}, whose values httpd copies
     * into the template being defined (the descriptor's templates cannot name one another).
     */
    void template(String directive, Params.Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        if (!p.lowerKey().equals("hctemplate")) {
            apply(directive, p, into, where);
            return;
        }
        ProxyModel.HcTemplate t = model.hcTemplates.get(p.value().toLowerCase(Locale.ROOT));
        if (t == null) {
            throw ParamReader.error(directive, where, "Unknown ProxyHCTemplate name: " + p.value(), p);
        }
        KEYS.forEach(into::remove);
        into.putAll(t.attributes());
    }
}
