package org.portico.importer;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.portico.config.BackendScheme;
import org.portico.config.HealthCheck;

/**
 * Translates httpd's {@code key=value} parameters into descriptor attributes: worker parameters
 * (ProxyPass to a URL, BalancerMember, ProxySet on a worker), balancer parameters (ProxyPass to
 * {@code balancer://}, ProxySet on a balancer), handing mod_proxy_hcheck's to {@link HealthCheckParams}.
 * Values are checked the way httpd checks them, with httpd's own words when it would refuse them, and read
 * the way httpd reads them ({@link ParamReader}). Not thread-safe: one per import.
 */
final class Params {

    private static final Set<String> LBMETHODS = Set.of("byrequests", "bytraffic", "bybusyness", "heartbeat");

    private final ImportReport report;
    private final ParamReader read;
    private final HealthCheckParams healthChecks;

    Params(ProxyModel model, ImportReport report) {
        this.report = report;
        this.read = new ParamReader(report);
        this.healthChecks = new HealthCheckParams(model, report, read);
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
            case "loadfactor" -> into.put(key, read.loadfactor(directive, p, where));
            case "retry" -> into.put(key, read.wholeSeconds(directive, p, where, 0, "Retry must be a positive value"));
            case "ttl" -> into.put(key, read.wholeSeconds(directive, p, where, 1, "TTL must be at least one second"));
            case "timeout" -> into.put(key, read.wholeSeconds(directive, p, where, 1, "Timeout must be at least one second"));
            case "min" -> into.put(key, Long.toString(read.atLeast(directive, p, where, 0, "Min must be a positive number")));
            case "smax" -> into.put(key, Long.toString(read.atLeast(directive, p, where, 0, "Smax must be a positive number")));
            case "max" -> {
                long max = read.atLeast(directive, p, where, 0, "Max must be a positive number");
                if (max == 0) {
                    into.remove(key);
                    report.note(where, p + ": 0 means httpd's default pool size; Portico's default (512) applies");
                } else {
                    into.put(key, Long.toString(max));
                }
            }
            case "acquire" -> into.put(key, read.time(directive, p, where, "ms", "Acquire timeout has wrong format",
                    "Acquire must be at least one millisecond"));
            case "connectiontimeout" -> into.put(key, read.time(directive, p, where, "s", "Connectiontimeout has wrong format",
                    "Connectiontimeout must be at least one millisecond."));
            case "ping" -> into.put(key, read.time(directive, p, where, "s", "Ping/Pong timeout has wrong format",
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
            case "status" -> read.status(directive, p, into, where);
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
            case "iobuffersize", "receivebuffersize", "responsefieldsize" -> read.buffer(directive, p, into, where);
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
            case "hctemplate", "hcmethod", "hcuri", "hcinterval", "hcpasses", "hcfails", "hcexpr" -> healthChecks.apply(directive, p, into, where);
            default -> throw error(directive, where, "unknown Worker parameter", p);
        }
    }

    /**
     * Drops, with a warning, what a worker of {@code url}'s scheme cannot take: {@code secret} on a worker that
     * does not speak AJP (httpd keeps it and never sends it), {@code upgrade} on an AJP worker, a health-check
     * method that cannot check it (CPING on a non-AJP member, HTTP methods on an AJP or HTTP/2 member).
     */
    void fitToScheme(String url, ProxyModel.Attributes a, Where where) {
        BackendScheme scheme = Scheme.backendScheme(url);
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

    /** Applies a ProxyHCTemplate parameter (see {@link HealthCheckParams#template}). */
    void template(String directive, Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        healthChecks.template(directive, p, into, where);
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
            case "timeout" -> into.put(key, read.wholeSeconds(directive, p, where, 1, "timeout must be at least one second"));
            case "maxattempts" -> into.put(key, Long.toString(read.atLeast(directive, p, where, 0,
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

    static ImportException error(String directive, Where where, String message, Param p) {
        return ParamReader.error(directive, where, message, p);
    }
}
