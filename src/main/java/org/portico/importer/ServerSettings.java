package org.portico.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.portico.config.BackendScheme;

/**
 * The server-wide directives that become {@code <settings>} attributes: ProxyPreserveHost,
 * ProxyAddHeaders, ProxyVia, ProxyTimeout (or core Timeout, httpd's fallback), ProxyErrorOverride,
 * ProxyBadHeader, Proxy100Continue, ProxyMaxForwards, ServerName, MergeSlashes, AllowEncodedSlashes, BalancerGrowth,
 * ProxyHCTPsize, LimitRequestLine, LimitRequestFieldSize, LimitRequestFields and BalancerPersist; ProxyIOBufferSize
 * becomes the {@code iobuffersize} of the ajp:// workers that set none, since mod_proxy_ajp sizes its packets by it.
 * A virtual host's value wins over the main server's, as httpd merges them.
 */
final class ServerSettings {

    private record Setting(String value, Where where, String directive) {
    }

    private final ProxyModel model;
    private final ImportReport report;
    private final Map<String, Setting> main = new LinkedHashMap<>();
    private final Map<String, Setting> vhost = new LinkedHashMap<>();

    ServerSettings(ProxyModel model, ImportReport report) {
        this.model = model;
        this.report = report;
    }

    /** Applies {@code d} if it is a setting; false when it is not one. */
    boolean apply(ConfigNode.Directive d, Context ctx) throws ImportException {
        String k = d.key();
        switch (k) {
            case "proxypreservehost" -> perDirectory(d, ctx, "preserve-host", flag(d));
            case "proxyaddheaders" -> perDirectory(d, ctx, "add-headers", flag(d));
            case "proxy100continue" -> perDirectory(d, ctx, "proxy-100-continue", flag(d));
            case "proxyerroroverride" -> errorOverride(d, ctx);
            case "proxyvia" -> {
                String v = one(d).toLowerCase(Locale.ROOT);
                if (!List.of("off", "on", "full", "block").contains(v)) {
                    throw new ImportException(d.where(), "ProxyVia must be one of: off | on | full | block");
                }
                serverOnly(d, ctx, "via", v);
            }
            case "proxybadheader" -> {
                String v = switch (one(d).toLowerCase(Locale.ROOT)) {
                    case "iserror" -> "is-error";
                    case "ignore" -> "ignore";
                    case "startbody" -> "start-body";
                    default -> throw new ImportException(d.where(), "ProxyBadHeader must be one of: IsError | Ignore | StartBody");
                };
                serverOnly(d, ctx, "bad-header", v);
            }
            case "proxytimeout", "timeout" -> {
                HttpdValues.Int n = HttpdValues.atoi(one(d));
                if (n.value() < 1) {
                    throw new ImportException(d.where(), k.equals("timeout") ? "Timeout must be at least 1 second"
                            : "Proxy Timeout must be at least 1 second.");
                }
                if (n.hasSuffix()) {
                    report.warning(d.where(), d.text() + ": httpd reads whole seconds and ignores '" + n.ignored() + "'; imported as "
                            + n.value() + "s");
                }
                serverOnly(d, ctx, k.equals("timeout") ? "core-timeout" : "timeout", n.value() + "s");
            }
            case "proxymaxforwards" -> {
                HttpdValues.Int n = HttpdValues.atoi(one(d));
                long v = Math.max(-1, Math.min(n.value(), Integer.MAX_VALUE));
                if (v != n.value()) {
                    report.warning(d.where(), d.text() + ": imported as " + v);
                }
                serverOnly(d, ctx, "max-forwards", Long.toString(v));
            }
            case "balancergrowth" -> {
                long n = HttpdValues.atoi(one(d)).value();
                if (n < 0 || n > 1000) {
                    throw new ImportException(d.where(), "BalancerGrowth must be between 0 and 1000");
                }
                serverOnly(d, ctx, "balancer-growth", Long.toString(n));
            }
            case "proxyhctpsize" -> {
                long n = HttpdValues.atoi(one(d)).value();
                if (n < 0) {
                    throw new ImportException(d.where(), "ProxyHCTPsize must be >= 0");
                }
                if (n > 1024) {
                    report.warning(d.where(), d.text() + ": imported as 1024, Portico's limit");
                    n = 1024;
                }
                serverOnly(d, ctx, "hc-tpsize", Long.toString(n));
            }
            case "proxyiobuffersize" -> {
                long n = HttpdValues.atoi(one(d)).value();
                if (n != 0 && n < 512) {
                    throw new ImportException(d.where(), "ProxyIOBufferSize must be >= 512 bytes, or 0 for system default.");
                }
                serverOnly(d, ctx, "io-buffer-size", Long.toString(n == 0 ? 8192 : Math.min(n, 1048576)));
            }
            case "limitrequestline" -> serverOnly(d, ctx, "limit-request-line", limit(d, 1, 1048576, ""));
            case "limitrequestfieldsize" -> serverOnly(d, ctx, "limit-request-field-size", limit(d, 1, 1048576, ""));
            case "limitrequestfields" -> serverOnly(d, ctx, "limit-request-fields", limit(d, 0, 32767, " (0 = no limit)"));
            case "mergeslashes" -> serverOnly(d, ctx, "merge-slashes", flag(d));
            case "allowencodedslashes" -> {
                String v = one(d).toLowerCase(Locale.ROOT);
                if (!List.of("on", "off", "nodecode").contains(v)) {
                    throw new ImportException(d.where(), "AllowEncodedSlashes must be one of: On | Off | NoDecode");
                }
                serverOnly(d, ctx, "encoded-slashes", v);
            }
            case "balancerpersist" -> {
                // a context param, not a descriptor element: the state file is the web app's, as httpd's is the server's
                if (flag(d).equals("true")) {
                    model.contextParams.put(HttpdImport.BALANCER_PERSIST, "true");
                    report.note(d.where(), d.text() + ": imported as the context param " + HttpdImport.BALANCER_PERSIST
                            + "=true (manager changes saved to portico.state-file and restored at start-up)");
                } else {
                    model.contextParams.remove(HttpdImport.BALANCER_PERSIST);
                }
            }
            case "servername" -> {
                String name = one(d);
                String host = VirtualHosts.hostOf(name);
                String written = name.contains("://") ? name.substring(name.indexOf("://") + 3) : name;
                if (!host.equalsIgnoreCase(written)) {
                    report.note(d.where(), d.text() + ": server-name takes the host name; the port comes from the request");
                }
                serverOnly(d, ctx, "server-name", written.substring(0, host.length()));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Puts the settings into the model: the main server's, overridden by the virtual host's. */
    void finish() {
        Map<String, Setting> merged = new LinkedHashMap<>(main);
        merged.putAll(vhost);
        Setting io = merged.remove("io-buffer-size");
        if (io != null) {
            ajpPacketSize(io);
        }
        Setting core = merged.remove("core-timeout");
        if (core != null) {
            if (merged.containsKey("timeout")) {
                report.notImported(core.where(), core.directive(), "the container's connector timeouts apply to clients;"
                        + " ProxyTimeout sets the backend timeout");
            } else {
                report.note(core.where(), core.directive() + ": without ProxyTimeout, httpd also uses it as the backend timeout;"
                        + " imported as settings timeout (client timeouts are the container's)");
                merged.put("timeout", core);
            }
        }
        List<String> order = new ArrayList<>(List.of("preserve-host", "add-headers", "via", "timeout", "error-override",
                "error-override-statuses", "bad-header", "proxy-100-continue", "max-forwards", "server-name", "merge-slashes",
                "encoded-slashes", "balancer-growth", "hc-tpsize", "limit-request-line", "limit-request-field-size",
                "limit-request-fields"));
        for (String attribute : order) {
            Setting s = merged.get(attribute);
            if (s != null) {
                model.settings.put(attribute, s.value());
                model.settingSources.put(s.directive().split(" ", 2)[0], s.where());
            }
        }
    }

    /**
     * ProxyIOBufferSize on the ajp:// workers and members that set no iobuffersize of their own: their packet size,
     * as in mod_proxy_ajp. Portico has no server-wide buffer size; the other workers keep theirs.
     */
    private void ajpPacketSize(Setting io) {
        int applied = 0;
        for (ProxyModel.WorkerEntry w : model.workers) {
            if (Scheme.backendScheme(w.url) == BackendScheme.AJP && w.attributes.putIfAbsent("iobuffersize", io.value()) == null) {
                w.declared = true;
                applied++;
            }
        }
        for (ProxyModel.BalancerEntry b : model.balancers.values()) {
            for (ProxyModel.Member m : b.members) {
                if (m.comment() == null && Scheme.backendScheme(m.url()) == BackendScheme.AJP && m.attributes().putIfAbsent("iobuffersize", io.value()) == null) {
                    applied++;
                }
            }
        }
        if (applied == 0) {
            report.notImported(io.where(), io.directive(), "Portico has no server-wide buffer size: set iobuffersize on each"
                    + " worker instead (on ajp:// workers it is the packet size, as ProxyIOBufferSize is in mod_proxy_ajp)");
        } else {
            report.note(io.where(), io.directive() + ": imported as iobuffersize=" + io.value() + " on " + applied
                    + " ajp:// worker(s), whose packet size it sets as in mod_proxy_ajp; Portico has no server-wide"
                    + " buffer size for the others");
        }
    }

    private void perDirectory(ConfigNode.Directive d, Context ctx, String attribute, String value) {
        if (ctx.location() != null) {
            report.notImported(d.where(), d.text(), ctx.describe() + ": Portico's settings are server-wide;"
                    + " move it out of the <Location> to apply it to every request");
            return;
        }
        (ctx.vhost() ? vhost : main).put(attribute, new Setting(value, d.where(), d.text()));
    }

    private void serverOnly(ConfigNode.Directive d, Context ctx, String attribute, String value) throws ImportException {
        if (ctx.location() != null) {
            throw new ImportException(d.where(), d.name() + " not allowed here (" + ctx.describe() + ")");
        }
        (ctx.vhost() ? vhost : main).put(attribute, new Setting(value, d.where(), d.text()));
    }

    private void errorOverride(ConfigNode.Directive d, Context ctx) throws ImportException {
        List<String> args = d.args();
        if (args.isEmpty()) {
            throw new ImportException(d.where(), "ProxyErrorOverride first parameter must be one of: off | on");
        }
        String flag = HttpdValues.onOff(args.get(0));
        if (flag == null) {
            throw new ImportException(d.where(), "ProxyErrorOverride first parameter must be one of: off | on");
        }
        StringBuilder codes = new StringBuilder();
        for (String code : args.subList(1, args.size())) {
            if (code.isEmpty() || !Character.isDigit(code.charAt(0))) {
                throw new ImportException(d.where(), "ProxyErrorOverride: status codes to intercept must be numeric");
            }
            if (flag.equals("false")) {
                throw new ImportException(d.where(), "ProxyErrorOverride: status codes must follow a value of 'on'");
            }
            long c = HttpdValues.atoi(code).value();
            if (c < 400 || c > 599) {
                throw new ImportException(d.where(), "ProxyErrorOverride: status codes to intercept must be valid HTTP Status Codes >=400 && <600");
            }
            codes.append(codes.length() == 0 ? "" : " ").append(c);
        }
        perDirectory(d, ctx, "error-override", flag);
        if (codes.length() > 0 && ctx.location() == null) {
            (ctx.vhost() ? vhost : main).put("error-override-statuses", new Setting(codes.toString(), d.where(), d.text()));
        }
    }

    /**
     * A LimitRequest* value as httpd reads it: C's atoi kept in an int, refused in httpd's words when that is
     * negative (3000000000 is, 5000000000 is not). Then at least {@code least}: httpd takes a line or field size of
     * 0 and refuses every request with it (414, or 400 for any header field), which Portico refuses to import. At
     * most {@code most}, what the descriptor's schema allows, with a warning when it is cut.
     */
    private String limit(ConfigNode.Directive d, int least, int most, String noLimitNote) throws ImportException {
        String arg = one(d);
        int n = (int) HttpdValues.atoi(arg).value();
        if (n < 0) {
            throw new ImportException(d.where(), d.name() + " \"" + arg + "\" must be a non-negative integer" + noLimitNote);
        }
        if (n < least) {
            throw new ImportException(d.where(), d.name() + " " + arg + " would refuse every request (httpd answers each "
                    + (d.name().equalsIgnoreCase("LimitRequestLine") ? "with 414" : "header field with 400")
                    + "); Portico takes " + least + " or more");
        }
        if (n > most) {
            report.warning(d.where(), d.text() + ": imported as " + most + ", Portico's limit");
            n = most;
        }
        return Integer.toString(n);
    }

    private static String one(ConfigNode.Directive d) throws ImportException {
        if (d.args().size() != 1) {
            throw new ImportException(d.where(), d.name() + " takes one argument");
        }
        return d.args().get(0);
    }

    private static String flag(ConfigNode.Directive d) throws ImportException {
        String f = d.args().size() == 1 ? HttpdValues.onOff(d.args().get(0)) : null;
        if (f == null) {
            throw new ImportException(d.where(), d.name() + " must be On or Off");
        }
        return f;
    }
}
