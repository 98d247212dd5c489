package org.portico.config;

import jakarta.xml.bind.JAXBElement;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.glassfish.jaxb.core.Locatable;
import org.portico.config.xml.Balancer;
import org.portico.config.xml.HcExpr;
import org.portico.config.xml.HcTemplate;
import org.portico.config.xml.Pass;
import org.portico.config.xml.PassMatch;
import org.portico.config.xml.Portico;
import org.portico.config.xml.Reverse;
import org.portico.config.xml.Settings;
import org.portico.config.xml.TrustStore;
import org.portico.config.xml.Worker;
import org.xml.sax.Locator;

/** Turns the schema-valid JAXB tree into the immutable model, checking what the XSD cannot express. */
final class DescriptorBinder {

    private static final BigDecimal MIN_LBFACTOR = BigDecimal.valueOf(100);
    private static final BigDecimal MAX_LBFACTOR = BigDecimal.valueOf(10000);

    private final SourceText source;
    private final String file;
    private final Path baseDir;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> hcExprs = new LinkedHashMap<>();
    private final Map<String, HealthCheck> templates = new HashMap<>();
    private final Map<String, TrustStoreConfig> trustStores = new HashMap<>();

    DescriptorBinder(SourceText source, Path baseDir) {
        this.source = source;
        this.file = source.file();
        this.baseDir = baseDir;
    }

    Descriptor bind(Portico doc) throws DescriptorException {
        ProxySettings settings = settings(doc.getSettings());
        for (TrustStore t : doc.getTrustStore()) {
            trustStores.put(t.getId(), trustStore(t));
        }
        for (HcExpr e : doc.getHcExpr()) {
            if (hcExprs.putIfAbsent(e.getName(), e.getValue().trim()) != null) {
                throw error(e, "hc-expr '" + e.getName() + "' is defined twice");
            }
        }
        for (HcTemplate t : doc.getHcTemplate()) {
            HealthCheck hc = healthCheck(t, HealthCheck.TEMPLATE_DEFAULTS, t.getHcmethod() == null ? null : t.getHcmethod().value(),
                    t.getHcuri(), t.getHcinterval(), t.getHcpasses(), t.getHcfails(), t.getHcexpr());
            if (templates.putIfAbsent(t.getName(), hc) != null) {
                throw error(t, "hc-template '" + t.getName() + "' is defined twice");
            }
        }
        List<WorkerConfig> workers = new ArrayList<>();
        for (Worker w : doc.getWorker()) {
            WorkerConfig wc = worker(w, true);
            for (WorkerConfig other : workers) {
                if (other.name().equalsIgnoreCase(wc.name())) {
                    throw error(w, "worker " + wc.name() + " is declared twice (first at " + other.where() + ")");
                }
            }
            workers.add(wc);
        }
        List<BalancerConfig> balancers = new ArrayList<>();
        for (Balancer b : doc.getBalancer()) {
            BalancerConfig bc = balancer(b);
            for (BalancerConfig other : balancers) {
                if (other.name().equalsIgnoreCase(bc.name())) {
                    throw error(b, "balancer '" + bc.name() + "' is declared twice (first at " + other.where() + ")");
                }
            }
            balancers.add(bc);
        }

        List<PassRule> passes = new ArrayList<>();
        List<ReverseRule> reverses = new ArrayList<>();
        List<CookieRewrite> cookieDomains = new ArrayList<>();
        List<CookieRewrite> cookiePaths = new ArrayList<>();
        for (JAXBElement<?> e : doc.getPassOrPassMatchOrReverse()) {
            Object v = e.getValue();
            String element = e.getName().getLocalPart();
            if (v instanceof Pass) {
                passes.add(pass((Pass) v, balancers, workers));
            } else if (v instanceof PassMatch) {
                passes.add(passMatch((PassMatch) v, balancers, workers));
            } else if (v instanceof Reverse) {
                Reverse r = (Reverse) v;
                checkTarget(r.getUrl(), balancers, r, "url");
                reverses.add(new ReverseRule(r.getPath(), r.getUrl(), where(r)));
            } else if (v instanceof org.portico.config.xml.CookieRewrite) {
                org.portico.config.xml.CookieRewrite c = (org.portico.config.xml.CookieRewrite) v;
                CookieRewrite rule = new CookieRewrite(c.getFrom(), c.getTo());
                if ("reverse-cookie-domain".equals(element)) {
                    cookieDomains.add(rule);
                } else {
                    cookiePaths.add(rule);
                }
            }
        }
        return new Descriptor(file, settings, List.copyOf(workers), List.copyOf(balancers), List.copyOf(passes),
                List.copyOf(reverses), List.copyOf(cookieDomains), List.copyOf(cookiePaths), Map.copyOf(hcExprs),
                List.copyOf(warnings));
    }

    private ProxySettings settings(Settings s) {
        if (s == null) {
            return ProxySettings.defaults();
        }
        return new ProxySettings(
                s.isPreserveHost(),
                s.isAddHeaders(),
                ProxySettings.Via.valueOf(s.getVia().value().toUpperCase(Locale.ROOT)),
                Durations.parse(s.getTimeout()),
                s.isErrorOverride(),
                Set.copyOf(s.getErrorOverrideStatuses()),
                ProxySettings.BadHeader.valueOf(s.getBadHeader().value().toUpperCase(Locale.ROOT).replace('-', '_')),
                s.isProxy100Continue(),
                s.getMaxForwards(),
                s.getServerName(),
                s.isMergeSlashes(),
                s.getBalancerGrowth());
    }

    private TrustStoreConfig trustStore(TrustStore t) throws DescriptorException {
        Path p = Path.of(t.getPath());
        if (!p.isAbsolute() && baseDir != null) {
            p = baseDir.resolve(p);
        }
        if (!Files.isReadable(p)) {
            throw error(t, "path", "trust-store '" + t.getId() + "': " + p + " does not exist or cannot be read");
        }
        return new TrustStoreConfig(t.getId(), p, t.getPassword(), t.getType());
    }

    private BalancerConfig balancer(Balancer b) throws DescriptorException {
        String name = b.getName().toLowerCase(Locale.ROOT);
        String sticky = b.getStickysession() == null ? "" : b.getStickysession().trim();
        String cookie = sticky;
        String path = sticky;
        int bar = sticky.indexOf('|');
        if (bar >= 0) {
            cookie = sticky.substring(0, bar).trim();
            path = sticky.substring(bar + 1).trim();
            if (cookie.isEmpty() || path.isEmpty()) {
                throw error(b, "stickysession", "stickysession '" + sticky + "' must be NAME or COOKIE|PARAMETER");
            }
        }
        char sep = "Off".equals(b.getStickysessionsep()) ? 0 : b.getStickysessionsep().charAt(0);
        List<WorkerConfig> members = new ArrayList<>();
        for (Worker m : b.getMember()) {
            WorkerConfig wc = worker(m, false);
            for (WorkerConfig other : members) {
                if (other.name().equalsIgnoreCase(wc.name())) {
                    throw error(m, "member " + wc.name() + " appears twice in balancer '" + name + "' (first at " + other.where() + ")");
                }
            }
            members.add(wc);
        }
        Set<Integer> failOn = statusCodes(b.getFailonstatus());
        BalancerConfig.Affinity affinity = new BalancerConfig.Affinity(b.isRouteCookie(), b.isLearnedAffinity(),
                b.getAffinityMaxEntries(), Durations.parse(b.getAffinityExpiry()));
        if ((affinity.routeCookie() || affinity.learned()) && cookie.isEmpty()) {
            throw error(b, "route-cookie and learned-affinity need stickysession: they work on the sticky cookie");
        }
        return new BalancerConfig(name, b.getLbmethod(), cookie, path, sep, b.isScolonpathdelim(), b.isNofailover(),
                b.getMaxattempts(), failOn, b.isFailontimeout(), Durations.parse(b.getTimeout()),
                b.isForcerecovery(), b.getGrowth(), b.getNonce(), List.copyOf(members), where(b), affinity);
    }

    private WorkerConfig worker(Worker w, boolean direct) throws DescriptorException {
        URI uri = backendUri(w.getUrl(), w, "url");
        String name = w.getUrl().trim();
        if (name.endsWith("/") && uri.getRawPath() != null && uri.getRawPath().equals("/")) {
            name = name.substring(0, name.length() - 1);
        }
        WorkerParams d = WorkerParams.defaults();
        int lbfactor = d.lbfactor();
        if (w.getLoadfactor() != null) {
            // as httpd: loadfactor x 100, truncated; range-checked before narrowing so that huge values cannot wrap
            BigDecimal scaled = w.getLoadfactor().movePointRight(2).setScale(0, RoundingMode.DOWN);
            if (scaled.compareTo(MIN_LBFACTOR) < 0 || scaled.compareTo(MAX_LBFACTOR) > 0) {
                throw error(w, "loadfactor", "loadfactor " + w.getLoadfactor().toPlainString()
                        + " is out of range: use a number from 1 to 100");
            }
            lbfactor = scaled.intValueExact();
        }
        int status = 0;
        if (w.getStatus() != null) {
            try {
                status = StatusFlag.apply(0, w.getStatus());
            } catch (IllegalArgumentException e) {
                throw error(w, "status", "status '" + w.getStatus() + "': " + e.getMessage());
            }
        }
        if (direct) {
            // as httpd: a worker outside a balancer never goes into error state
            status |= StatusFlag.IGNORE_ERRORS.bit();
        }
        int max = w.getMax() == null ? d.max() : w.getMax();
        int min = w.getMin() == null ? 0 : Math.min(w.getMin(), max);
        int smax = w.getSmax() == null ? max : Math.min(w.getSmax(), max);
        Duration ttl = duration(w.getTtl());
        if (ttl != null && ttl.toMillis() < 1000) {
            throw error(w, "ttl", "ttl must be at least one second");
        }
        Duration acquire = positive(w, "acquire", w.getAcquire());
        Duration connectTimeout = positive(w, "connectiontimeout", w.getConnectiontimeout());
        Duration timeout = positive(w, "timeout", w.getTimeout());
        Duration ping = positive(w, "ping", w.getPing());
        Duration retry = w.getRetry() == null ? d.retry() : Durations.parse(w.getRetry());
        boolean disableReuse = Boolean.TRUE.equals(w.isDisablereuse()) || Boolean.FALSE.equals(w.isEnablereuse());
        int ioBuffer = w.getIobuffersize() == null || w.getIobuffersize() == 0 ? d.ioBufferSize() : w.getIobuffersize();
        if (ioBuffer < 512) {
            throw error(w, "iobuffersize", "iobuffersize " + ioBuffer + " is too small: use 512 or more (0 means 8192)");
        }
        int receiveBuffer = w.getReceivebuffersize() == null ? 0 : w.getReceivebuffersize();
        if (receiveBuffer != 0 && receiveBuffer < 512) {
            throw error(w, "receivebuffersize", "receivebuffersize " + receiveBuffer + " is too small: use 512 or more, or 0 for the OS default");
        }
        int fieldSize = w.getResponsefieldsize() == null || w.getResponsefieldsize() == 0 ? d.responseFieldSize() : w.getResponsefieldsize();
        Duration flushWait = w.getFlushwait() == null ? d.flushWait() : Durations.parse(w.getFlushwait());
        if (flushWait.toMillis() > 1000) {
            throw error(w, "flushwait", "flushwait " + w.getFlushwait() + " is out of range: use 0ms to 1000ms");
        }
        HealthCheck base = HealthCheck.NONE;
        if (w.getHctemplate() != null) {
            base = templates.get(w.getHctemplate());
            if (base == null) {
                throw error(w, "hctemplate", "hctemplate '" + w.getHctemplate() + "' is not defined by an hc-template element"
                        + (templates.isEmpty() ? "" : " (defined: " + String.join(", ", templates.keySet().stream().sorted().toList()) + ")"));
            }
        }
        HealthCheck hc = healthCheck(w, base, w.getHcmethod() == null ? null : w.getHcmethod().value(), w.getHcuri(),
                w.getHcinterval(), w.getHcpasses(), w.getHcfails(), w.getHcexpr());
        TrustStoreConfig trust = null;
        if (w.getTrustStore() != null) {
            trust = trustStores.get(w.getTrustStore());
            if (trust == null) {
                throw error(w, "trust-store", "trust-store '" + w.getTrustStore() + "' is not declared by a trust-store element"
                        + (trustStores.isEmpty() ? "" : " (declared: " + String.join(", ", trustStores.keySet().stream().sorted().toList()) + ")"));
            }
        }
        if (trust != null && !"https".equalsIgnoreCase(uri.getScheme())) {
            warnings.add(where(w) + ": trust-store on " + name + " has no effect: it is not an https:// URL");
        }
        WorkerParams params = new WorkerParams(min, max, smax, ttl, acquire, connectTimeout, timeout, retry, lbfactor,
                w.getLbset() == null ? 0 : w.getLbset(), nz(w.getRoute()), nz(w.getRedirect()), status,
                Boolean.TRUE.equals(w.isKeepalive()), disableReuse, ping,
                w.getFlushpackets() == null ? "off" : w.getFlushpackets().value(), flushWait, ioBuffer, receiveBuffer,
                fieldSize, hc, trust);
        return new WorkerConfig(name, uri, params, where(w));
    }

    private HealthCheck healthCheck(Locatable at, HealthCheck base, String method, String uri, String interval,
                                    Integer passes, Integer fails, String expr) throws DescriptorException {
        Duration iv = interval == null ? base.interval() : Durations.parse(interval);
        if (iv.toMillis() < 100) {
            throw error(at, "hcinterval", "hcinterval " + interval + " is too short: use 100ms or more");
        }
        String e = expr == null ? base.expr() : expr;
        if (!e.isEmpty() && !hcExprs.containsKey(e)) {
            throw error(at, expr == null ? "hctemplate" : "hcexpr", "hcexpr '" + e + "' is not defined by an hc-expr element"
                    + (hcExprs.isEmpty() ? "" : " (defined: " + String.join(", ", hcExprs.keySet().stream().sorted().toList()) + ")"));
        }
        return new HealthCheck(method == null ? base.method() : method, uri == null ? base.uri() : uri, iv,
                passes == null ? base.passes() : passes, fails == null ? base.fails() : fails, e);
    }

    private PassRule pass(Pass p, List<BalancerConfig> balancers, List<WorkerConfig> workers) throws DescriptorException {
        String to = target(p.isExclude(), p.getTo(), p, balancers, workers);
        boolean reverse = p.isReverse() != null ? p.isReverse()
                : to != null && to.regionMatches(true, 0, BalancerConfig.SCHEME, 0, BalancerConfig.SCHEME.length());
        if (to != null && p.getPath().endsWith("/") != to.endsWith("/")) {
            warnings.add(where(p) + ": pass path '" + p.getPath() + "' and its url '" + to
                    + "' disagree on the trailing slash; the remainder of the request path is appended as it is,"
                    + " so this can produce URLs like http://b/appx or http://b/app//x");
        }
        return new PassRule(p.getPath(), null, to, p.isExclude(), p.isNocanon(), p.isNoquery(), reverse, where(p));
    }

    private PassRule passMatch(PassMatch p, List<BalancerConfig> balancers, List<WorkerConfig> workers) throws DescriptorException {
        Pattern pattern;
        try {
            pattern = Pattern.compile(p.getPattern());
        } catch (PatternSyntaxException e) {
            throw error(p, "pattern", "pattern '" + p.getPattern() + "' does not compile: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        String to = target(p.isExclude(), p.getTo(), p, balancers, workers);
        return new PassRule(null, pattern, to, p.isExclude(), p.isNocanon(), p.isNoquery(), false, where(p));
    }

    private String target(boolean exclude, String to, Locatable at, List<BalancerConfig> balancers,
                          List<WorkerConfig> workers) throws DescriptorException {
        if (exclude) {
            if (to != null) {
                throw error(at, "to", "an exclusion (exclude=\"true\") takes no 'to' url");
            }
            return null;
        }
        if (to == null) {
            throw error(at, "'to' is required: the url requests are passed to (or exclude=\"true\")");
        }
        String t = to.trim();
        checkTarget(t, balancers, at, "to");
        if (!isBalancer(t)) {
            // every direct target gets a worker: the declared one that prefixes it, or one of its own
            URI origin = backendUri(originOf(t, at, "to"), at, "to");
            String name = origin.getScheme().toLowerCase(Locale.ROOT) + "://" + origin.getRawAuthority();
            boolean shared = workers.stream().anyMatch(w -> Descriptor.sharesWorker(t, w.name()));
            if (!shared) {
                WorkerParams params = WorkerParams.defaults();
                params = new WorkerParams(params.min(), params.max(), params.smax(), null, null, null, null, params.retry(),
                        params.lbfactor(), 0, "", "", StatusFlag.IGNORE_ERRORS.bit(), false, false, null, "off",
                        params.flushWait(), params.ioBufferSize(), 0, params.responseFieldSize(), HealthCheck.NONE, null);
                workers.add(new WorkerConfig(name, origin, params, where(at)));
            }
        }
        return t;
    }

    private void checkTarget(String url, List<BalancerConfig> balancers, Locatable at, String attribute) throws DescriptorException {
        if (url.startsWith("/")) {
            return;
        }
        if (isBalancer(url)) {
            // the name ends where a path or a regex group ($1: ProxyPassMatch ... balancer://name$1) begins
            String rest = url.substring(BalancerConfig.SCHEME.length());
            int end = 0;
            while (end < rest.length() && rest.charAt(end) != '/' && rest.charAt(end) != '$') {
                end++;
            }
            String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw error(at, attribute, attribute + " '" + url + "' has no balancer name: write balancer://name[/path]");
            }
            if (balancers.stream().noneMatch(b -> b.name().equals(name))) {
                throw error(at, attribute, attribute + " '" + url + "' names balancer '" + name + "', which is not declared"
                        + (balancers.isEmpty() ? "" : " (declared: " + String.join(", ", balancers.stream().map(BalancerConfig::name).toList()) + ")"));
            }
            return;
        }
        backendUri(url.contains("$") ? originOf(url, at, attribute) : url, at, attribute);
    }

    /**
     * The scheme://host:port part of a target URL, which must not depend on regex groups. A group may
     * follow the port directly when it runs to the end ({@code http://b:8080$1}, with $1 = "/a.gif"),
     * as httpd allows; it may not stand for any part of the host or port.
     */
    private String originOf(String url, Locatable at, String attribute) throws DescriptorException {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return url; // backendUri names what is missing
        }
        int end = schemeEnd + 3;
        while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '$') {
            end++;
        }
        String origin = url.substring(0, end);
        if (end < url.length() && url.charAt(end) == '$') {
            String authority = url.substring(schemeEnd + 3, end);
            boolean groupsToTheEnd = url.substring(end).matches("(\\$[0-9])+");
            if (authority.isEmpty() || authority.endsWith(":") || authority.endsWith(".") || !groupsToTheEnd) {
                throw error(at, attribute, "the scheme, host and port of '" + url + "' must be fixed: $1..$9 may only stand for its path");
            }
        }
        return origin;
    }

    private URI backendUri(String url, Locatable at, String attribute) throws DescriptorException {
        String u = url.trim();
        String noScheme = attribute + " '" + url + "' has no scheme: write http://host[:port][/path] or https://...";
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw error(at, attribute, u.contains("://") ? attribute + " '" + url + "' is not a URL: " + e.getReason() : noScheme);
        }
        String scheme = uri.getScheme();
        boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
        // "localhost:8081/" parses as scheme "localhost" with an opaque part: the author left out the scheme
        if (scheme == null || (!http && uri.isOpaque())) {
            throw error(at, attribute, noScheme);
        }
        if (!http) {
            throw error(at, attribute, attribute + " '" + url + "': scheme " + scheme + ":// is not supported; use http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw error(at, attribute, attribute + " '" + url + "' has no host"
                    + (uri.getRawAuthority() == null ? "" : " ('" + uri.getRawAuthority() + "' is not a valid host name)")
                    + ": write " + scheme + "://host[:port][/path]");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw error(at, attribute, attribute + " '" + url + "' must not have a query or fragment");
        }
        return uri;
    }

    private static boolean isBalancer(String url) {
        return url.regionMatches(true, 0, BalancerConfig.SCHEME, 0, BalancerConfig.SCHEME.length());
    }

    private Duration positive(Locatable at, String name, String text) throws DescriptorException {
        Duration d = duration(text);
        if (d != null && d.isZero()) {
            throw error(at, name, name + " must be at least 1ms");
        }
        return d;
    }

    private static Duration duration(String text) {
        return text == null ? null : Durations.parse(text);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Where the element {@code o} begins (the start of its tag). */
    private SourceLocation where(Object o) {
        Locator l = o instanceof Locatable ? ((Locatable) o).sourceLocation() : null;
        return l == null ? SourceLocation.unknown(file) : source.tagStart(l.getLineNumber(), l.getColumnNumber());
    }

    private DescriptorException error(Object at, String problem) {
        return new DescriptorException(where(at), problem);
    }

    /** An error placed at {@code attribute} of the element {@code at}. */
    private DescriptorException error(Object at, String attribute, String problem) {
        Locator l = at instanceof Locatable ? ((Locatable) at).sourceLocation() : null;
        SourceLocation where = l == null ? SourceLocation.unknown(file)
                : source.attribute(l.getLineNumber(), l.getColumnNumber(), attribute);
        return new DescriptorException(where, problem);
    }

    /** failonstatus: codes separated by commas or spaces (the XSD checked the form), in the order written. */
    static Set<Integer> statusCodes(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        Set<Integer> codes = new LinkedHashSet<>();
        for (String code : list.trim().split("[\\s,]+")) {
            codes.add(Integer.parseInt(code));
        }
        return Collections.unmodifiableSet(codes);
    }
}
