package org.portico.importer;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.portico.config.BackendScheme;
import org.portico.config.HealthCheck;

/**
 * Translates httpd's {@code key=value} parameters into descriptor attributes: worker parameters
 * (ProxyPass to a URL, BalancerMember, ProxySet on a worker), balancer parameters (ProxyPass to
 * {@code balancer://}, ProxySet on a balancer) and mod_proxy_hcheck's. Values are checked the way
 * httpd checks them, with httpd's own words when it would refuse them, and read the way httpd reads
 * them: {@code retry}, {@code timeout} and {@code ttl} as whole seconds with any unit ignored (each
 * such case is reported), {@code loadfactor} as a decimal.
 */
final class Params {

    private static final Set<String> HEALTH_CHECK_KEYS = Set.of("hcmethod", "hcuri", "hcinterval", "hcpasses", "hcfails", "hcexpr");
    private static final Set<String> LBMETHODS = Set.of("byrequests", "bytraffic", "bybusyness", "heartbeat");
    private static final int MAX_BUFFER = 1_048_576;

    private final ProxyModel model;
    private final ImportReport report;

    Params(ProxyModel model, ImportReport report) {
        this.model = model;
        this.report = report;
    }

    /** One {@code key=value} word. */
    record Param(String key, String value) {
        static Param of(String word) {
            int eq = word.indexOf('=');
            return new Param(word.substring(0, eq), word.substring(eq + 1));
        }

        String lowerKey() {
            return key.toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /**
     * Applies a worker parameter to {@code into}.
     *
     * @param directive how httpd names the directive in its error messages, e.g. "BalancerMember"
     */
    void worker(String directive, Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        String key = p.lowerKey();
        String v = p.value();
        switch (key) {
            case "loadfactor" -> into.put(key, loadfactor(directive, p, where));
            case "retry" -> into.put(key, wholeSeconds(directive, p, where, 0, "Retry must be a positive value"));
            case "ttl" -> into.put(key, wholeSeconds(directive, p, where, 1, "TTL must be at least one second"));
            case "timeout" -> into.put(key, wholeSeconds(directive, p, where, 1, "Timeout must be at least one second"));
            case "min" -> into.put(key, Long.toString(atLeast(directive, p, where, 0, "Min must be a positive number")));
            case "smax" -> into.put(key, Long.toString(atLeast(directive, p, where, 0, "Smax must be a positive number")));
            case "max" -> {
                long max = atLeast(directive, p, where, 0, "Max must be a positive number");
                if (max == 0) {
                    into.remove(key);
                    report.note(where, p + ": 0 means httpd's default pool size; Portico's default (512) applies");
                } else {
                    into.put(key, Long.toString(max));
                }
            }
            case "acquire" -> into.put(key, time(directive, p, where, "ms", "Acquire timeout has wrong format",
                    "Acquire must be at least one millisecond"));
            case "connectiontimeout" -> into.put(key, time(directive, p, where, "s", "Connectiontimeout has wrong format",
                    "Connectiontimeout must be at least one millisecond."));
            case "ping" -> into.put(key, time(directive, p, where, "s", "Ping/Pong timeout has wrong format",
                    "Ping/Pong timeout must be at least one millisecond"));
            case "lbset" -> {
                long lbset = HttpdValues.atoi(v).value();
                if (lbset < 0 || lbset > 99) {
                    throw error(directive, where, "lbset must be between 0 and 99", p);
                }
                into.put(key, Long.toString(lbset));
            }
            case "route", "redirect" -> {
                if (v.length() >= 64) {
                    throw error(directive, where, (key.equals("route") ? "Route" : "Redirect") + " length must be < 64 characters", p);
                }
                into.put(key, v);
            }
            case "status" -> status(directive, p, into, where);
            case "keepalive", "disablereuse", "enablereuse" -> {
                String b = HttpdValues.onOff(v);
                if (b == null) {
                    String name = switch (key) {
                        case "keepalive" -> "KeepAlive";
                        case "disablereuse" -> "DisableReuse";
                        default -> "EnableReuse";
                    };
                    throw error(directive, where, name + " must be On|Off", p);
                }
                into.put(key, b);
            }
            case "flushpackets" -> {
                String f = v.toLowerCase(Locale.ROOT);
                if (!f.equals("on") && !f.equals("off") && !f.equals("auto")) {
                    throw error(directive, where, "flushpackets must be on|off|auto", p);
                }
                into.put(key, f);
            }
            case "flushwait" -> {
                long ms = HttpdValues.atoi(v).value();
                if (ms < 0 || ms > 1000) {
                    throw error(directive, where, "flushwait must be <= 1000, or 0 for system default of 10 millseconds.", p);
                }
                if (ms == 0) {
                    into.remove(key);
                } else {
                    into.put(key, ms + "ms");
                }
            }
            case "iobuffersize", "receivebuffersize", "responsefieldsize" -> buffer(directive, p, into, where);
            case "secret" -> {
                if (v.isEmpty()) {
                    throw error(directive, where, "secret must not be empty", p);
                }
                into.put(key, v);
            }
            case "upgrade" -> {
                // httpd keeps the value as written (at most 15 characters) and compares tokens without case
                if (v.length() >= 16) {
                    throw error(directive, where, "upgrade protocol length must be < 16 characters", p);
                }
                if (v.isBlank()) {
                    into.remove(key);
                } else {
                    into.put(key, v.trim());
                }
            }
            case "flusher", "addressttl" -> report.notImported(where, directive + " " + p,
                    switch (key) {
                        case "addressttl" -> "Portico follows the JVM's DNS cache (networkaddress.cache.ttl)";
                        default -> "it concerns FCGI, which Portico does not proxy";
                    });
            case "hctemplate", "hcmethod", "hcuri", "hcinterval", "hcpasses", "hcfails", "hcexpr" -> healthCheck(directive, p, into, where);
            default -> throw error(directive, where, "unknown Worker parameter", p);
        }
    }

    /**
     * Drops, with a warning, what a worker of {@code url}'s scheme cannot take: {@code secret} on a worker that
     * does not speak AJP (httpd keeps it and never sends it), {@code upgrade} on an AJP worker, a health-check
     * method that cannot check it (CPING on a non-AJP member, HTTP methods on an AJP or HTTP/2 member).
     */
    void fitToScheme(String url, ProxyModel.Attributes a, Where where) {
        int end = url.indexOf("://");
        BackendScheme scheme = end < 0 ? null : BackendScheme.of(url.substring(0, end)).orElse(null);
        if (scheme == null) {
            return;
        }
        if (a.containsKey("secret") && scheme != BackendScheme.AJP) {
            a.remove("secret");
            report.warning(where, "secret on " + url + " is not imported: only ajp:// workers send it (httpd ignores it"
                    + " on other workers)");
        }
        if (a.containsKey("upgrade") && scheme == BackendScheme.AJP) {
            report.notImported(where, "upgrade=" + a.remove("upgrade"), "an AJP worker does not tunnel upgrades (mod_proxy_ajp"
                    + " has no upgrade); use an http:// or ws:// worker for them");
        }
        String method = a.get("hcmethod");
        String unfit = method == null ? null : HealthCheck.unfit(method, scheme);
        if (unfit != null) {
            a.remove("hcmethod");
            report.notImported(where, "hcmethod=" + method, "hcmethod " + method + " on " + url + " " + unfit
                    + "; the member is imported without that check");
        }
    }

    /** Checks worker parameters that will not be used (shared or unsupported workers), as httpd still checks them. */
    void validateWorker(String directive, List<Param> keyValues, Where where) throws ImportException {
        ProxyModel.Attributes scratch = new ProxyModel.Attributes();
        for (Param p : keyValues) {
            worker(directive, p, scratch, where);
        }
    }

    /** Applies a mod_proxy_hcheck parameter to a worker or a template ({@code hctemplate} only to workers). */
    void healthCheck(String directive, Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        String key = p.lowerKey();
        String v = p.value();
        switch (key) {
            case "hctemplate" -> {
                ProxyModel.HcTemplate t = model.hcTemplates.get(v.toLowerCase(Locale.ROOT));
                if (t == null) {
                    throw error(directive, where, "Unknown ProxyHCTemplate name: " + v, p);
                }
                // httpd copies the template's values at this point: earlier hc* keys of the line are overwritten
                List<String> overwritten = into.keySet().stream().filter(HEALTH_CHECK_KEYS::contains).toList();
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
                    throw error(directive, where, "Health check method " + v + " not (yet) implemented", p);
                } else if (!HealthCheck.METHODS.contains(m)) {
                    throw error(directive, where, "Unknown method", p);
                } else {
                    into.put(key, m);
                }
            }
            case "hcinterval" -> {
                Long ms = HttpdValues.timeoutMillis(v, "s");
                if (ms == null) {
                    throw error(directive, where, "Unparse-able hcinterval setting", p);
                }
                if (ms < 100) {
                    throw error(directive, where, "Interval must be a positive value greater than 100ms", p);
                }
                into.put(key, HttpdValues.duration(ms));
            }
            case "hcpasses", "hcfails" -> into.put(key, Long.toString(atLeast(directive, p, where, 0,
                    (key.equals("hcpasses") ? "Passes" : "Fails") + " must be a positive value")));
            case "hcuri" -> {
                if (v.length() >= 64) {
                    throw error(directive, where, "Health check uri length must be < 64 characters", p);
                }
                into.put(key, v);
            }
            case "hcexpr" -> {
                ProxyModel.HcExpr e = model.hcExprs.get(v.toLowerCase(Locale.ROOT));
                if (e == null) {
                    throw error(directive, where, "Unknown health check condition expr: " + v
                            + " (define it with ProxyHCExpr before it is used)", p);
                }
                into.put(key, e.name());
            }
            default -> throw error(directive, where, "unknown Worker hcheck parameter", p);
        }
    }

    /**
     * Applies a ProxyHCTemplate parameter: the hc* keys, and {@code hctemplate}, whose values httpd copies
     * into the template being defined (the descriptor's templates cannot name one another).
     */
    void template(String directive, Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        if (!p.lowerKey().equals("hctemplate")) {
            healthCheck(directive, p, into, where);
            return;
        }
        ProxyModel.HcTemplate t = model.hcTemplates.get(p.value().toLowerCase(Locale.ROOT));
        if (t == null) {
            throw error(directive, where, "Unknown ProxyHCTemplate name: " + p.value(), p);
        }
        HEALTH_CHECK_KEYS.forEach(into::remove);
        into.putAll(t.attributes());
    }

    /** Applies a balancer parameter to {@code into}. */
    void balancer(String directive, Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        String key = p.lowerKey();
        String v = p.value();
        switch (key) {
            case "lbmethod" -> {
                if (!LBMETHODS.contains(v)) {
                    throw error(directive, where, "unknown lbmethod (byrequests, bytraffic, bybusyness or heartbeat;"
                            + " the name is case-sensitive)", p);
                }
                into.put(key, v);
            }
            case "stickysession" -> {
                String s = v;
                if (s.length() >= 64) {
                    s = s.substring(0, 63);
                    report.warning(where, p + " is 64 characters or longer: httpd silently cuts it to '" + s + "'; imported the same");
                }
                into.put(key, s);
            }
            case "stickysessionsep" -> {
                if (v.length() == 1) {
                    into.put(key, v);
                } else if (v.equalsIgnoreCase("off")) {
                    into.put(key, "Off");
                } else {
                    throw error(directive, where, "stickysessionsep must be a single character or Off", p);
                }
            }
            case "nofailover", "scolonpathdelim", "failontimeout", "forcerecovery" -> {
                String b = HttpdValues.onOff(v);
                if (b == null) {
                    throw error(directive, where, (key.equals("nofailover") ? "failover" : key) + " must be On|Off", p);
                }
                into.put(key, b);
            }
            case "timeout" -> into.put(key, wholeSeconds(directive, p, where, 1, "timeout must be at least one second"));
            case "maxattempts" -> into.put(key, Long.toString(atLeast(directive, p, where, 0,
                    "maximum number of attempts must be a positive number")));
            case "failonstatus" -> {
                StringBuilder codes = new StringBuilder();
                for (String code : v.split("[, ]+")) {
                    if (code.isEmpty()) {
                        continue;
                    }
                    long c = HttpdValues.atoi(code).value();
                    if (c < 100 || c > 599) {
                        throw error(directive, where, "failonstatus must be one or more HTTP response codes", p);
                    }
                    codes.append(codes.length() == 0 ? "" : ",").append(c);
                }
                if (codes.length() == 0) {
                    throw error(directive, where, "failonstatus must be one or more HTTP response codes", p);
                }
                into.put(key, codes.toString());
            }
            case "growth" -> {
                long g = HttpdValues.atoi(v).value();
                if (g < 1 || g > 100) {
                    throw error(directive, where, "growth must be between 1 and 100", p);
                }
                into.put(key, Long.toString(g));
            }
            case "nonce" -> {
                if (v.equalsIgnoreCase("None")) {
                    into.put(key, "");
                } else if (v.length() > 36) {
                    throw error(directive, where, "Provided nonce is too large", p);
                } else {
                    into.put(key, v);
                }
            }
            default -> throw error(directive, where, "unknown Balancer parameter", p);
        }
    }

    // ------------------------------------------------------------------ httpd's parsers, with their quirks

    private String wholeSeconds(String directive, Param p, Where where, long min, String tooSmall) throws ImportException {
        HttpdValues.Int n = HttpdValues.atoi(p.value());
        if (n.value() < min) {
            throw error(directive, where, tooSmall, p);
        }
        String imported = HttpdValues.duration(Math.multiplyExact(n.value(), 1000L));
        if (n.hasSuffix()) {
            report.warning(where, p + ": httpd reads " + p.key() + " as whole seconds and ignores '" + n.ignored()
                    + "', so this is " + n.value() + (n.value() == 1 ? " second" : " seconds") + "; imported as "
                    + p.lowerKey() + "=\"" + imported + "\"");
        }
        return imported;
    }

    private long atLeast(String directive, Param p, Where where, long min, String message) throws ImportException {
        HttpdValues.Int n = HttpdValues.atoi(p.value());
        if (n.value() < min) {
            throw error(directive, where, message, p);
        }
        if (n.hasSuffix()) {
            report.warning(where, p + ": httpd reads a whole number and ignores '" + n.ignored() + "'; imported as " + n.value());
        }
        return n.value();
    }

    private String time(String directive, Param p, Where where, String unit, String wrong, String tooSmall) throws ImportException {
        Long ms;
        try {
            ms = HttpdValues.timeoutMillis(p.value(), unit);
        } catch (ArithmeticException e) {
            ms = null;
        }
        if (ms == null) {
            throw error(directive, where, wrong, p);
        }
        if (ms < 1) {
            throw error(directive, where, tooSmall, p);
        }
        return HttpdValues.duration(ms);
    }

    private String loadfactor(String directive, Param p, Where where) throws ImportException {
        HttpdValues.Decimal d = HttpdValues.atof(p.value());
        // as httpd: atof(v) * 100 truncated to an int, which must lie in 100..10000
        int lbfactor = (int) (d.value() * 100.0);
        if (lbfactor < 100 || lbfactor > 10000) {
            throw error(directive, where, "LoadFactor must be a number between 1..100", p);
        }
        String imported = BigDecimal.valueOf(lbfactor).movePointLeft(2).stripTrailingZeros().toPlainString();
        if (!imported.equals(p.value().trim())) {
            boolean whole = lbfactor % 100 == 0;
            report.warning(where, p + ": httpd reads loadfactor as a decimal (atof), keeping two decimals"
                    + (d.ignored().isEmpty() ? "" : " and ignoring '" + d.ignored() + "'")
                    + (whole ? "" : " (httpd releases before 2.4.21 read whole numbers only)")
                    + "; imported as loadfactor=\"" + imported + "\"");
        } else if (lbfactor % 100 != 0) {
            report.warning(where, p + ": a decimal loadfactor, read as " + imported
                    + " (httpd releases before 2.4.21 read whole numbers only)");
        }
        return imported;
    }

    private void status(String directive, Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        StringBuilder kept = new StringBuilder();
        StringBuilder dropped = new StringBuilder();
        boolean set = true;
        String v = p.value();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '+' || c == '-') {
                set = c == '+';
                if (++i >= v.length()) {
                    break;
                }
                c = v.charAt(i);
            }
            char u = Character.toUpperCase(c);
            if ("INDSEHRC".indexOf(u) >= 0) {
                kept.append(set ? '+' : '-').append(c);
            } else if ("OGUF".indexOf(u) >= 0) {
                dropped.append(c);
            } else {
                throw error(directive, where, "Unknown status parameter option", p);
            }
        }
        if (dropped.length() > 0) {
            report.notImported(where, directive + " " + p, "status letters '" + dropped
                    + "' are httpd's internal states (Init, Gen, Shut, Free)");
        }
        if (kept.length() == 0) {
            return;
        }
        into.put("status", dropped.length() == 0 ? v : kept.toString());
    }

    private void buffer(String directive, Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        String key = p.lowerKey();
        long size = HttpdValues.atoi(p.value()).value();
        switch (key) {
            case "iobuffersize" -> {
                if (size < 512 && size != 0) {
                    throw error(directive, where, "IOBufferSize must be >= 512 bytes, or 0 for system default.", p);
                }
            }
            case "receivebuffersize" -> {
                if (size < 512 && size != 0) {
                    throw error(directive, where, "ReceiveBufferSize must be >= 512 bytes, or 0 for system default.", p);
                }
            }
            default -> {
                if (size < 0) {
                    throw error(directive, where, "ResponseFieldSize must be greater than 0 bytes, or 0 for system default.", p);
                }
            }
        }
        if (size > MAX_BUFFER && !key.equals("receivebuffersize")) {
            report.notImported(where, directive + " " + p, "Portico accepts at most " + MAX_BUFFER + "; its default applies");
            return;
        }
        into.put(key, Long.toString(size));
    }

    static ImportException error(String directive, Where where, String message, Param p) {
        return new ImportException(where, directive + ": " + message + " (" + p + ")");
    }
}
