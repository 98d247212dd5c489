package org.portico.config;

import jakarta.xml.bind.JAXBElement;
import java.net.URI;
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
import org.portico.health.HcExpression;

/** Turns the schema-valid JAXB tree into the immutable model, checking what the XSD cannot express. */
final class DescriptorBinder {

    private final SourceText source;
    private final String file;
    private final Path baseDir;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> hcExprs = new LinkedHashMap<>();
    private final Map<String, HealthCheck> templates = new HashMap<>();
    private final Map<String, TrustStoreConfig> trustStores = new HashMap<>();
    private final ElementErrors errors;
    private final WorkerBinder workers;

    DescriptorBinder(SourceText source, Path baseDir) {
        this.source = source;
        this.file = source.file();
        this.baseDir = baseDir;
        this.errors = new ElementErrors(source);
        this.workers = new WorkerBinder(errors, templates, hcExprs, trustStores, warnings);
    }

    Descriptor bind(Portico doc) throws DescriptorException {
        ProxySettings settings = settings(doc.getSettings());
        if (settings.badHeader() != ProxySettings.BadHeader.IS_ERROR) {
            warnings.add(where(doc.getSettings()) + ": bad-header " + doc.getSettings().getBadHeader().value()
                    + " has no effect yet: a backend header line Portico cannot parse always gets 502, as is-error");
        }
        if (settings.balancerGrowth() != ProxySettings.defaults().balancerGrowth()) {
            warnings.add(where(doc.getSettings()) + ": balancer-growth has no effect: the balancer-manager adds members"
                    + " (each balancer's growth), not balancers");
        }
        for (TrustStore t : doc.getTrustStore()) {
            trustStores.put(t.getId(), trustStore(t));
        }
        for (HcExpr e : doc.getHcExpr()) {
            if (hcExprs.putIfAbsent(e.getName(), e.getValue().trim()) != null) {
                throw error(e, "hc-expr '" + e.getName() + "' is defined twice");
            }
            try {
                HcExpression.parse(e.getValue());
            } catch (HcExpression.Unsupported u) {
                throw error(e, "hc-expr '" + e.getName() + "' cannot be evaluated by Portico: " + u.getMessage());
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
                BackendTarget target = checkTarget(r.getUrl(), true, balancers, r, "url");
                reverses.add(new ReverseRule(r.getPath(), r.getUrl(), target, where(r)));
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
        if (settings.preserveHost()) {
            warnHttp2AuthorityIsTheWorkers(workers, balancers);
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
                ProxySettings.EncodedSlashes.valueOf(s.getEncodedSlashes().value().toUpperCase(Locale.ROOT)),
                s.getBalancerGrowth(),
                s.getHcTpsize(),
                new HeadLimits(s.getLimitRequestLine(), s.getLimitRequestFieldSize(), s.getLimitRequestFields()));
    }

    /**
     * HttpClient routes a request by its authority, so an HTTP/2 worker's {@code :authority} is the worker's own,
     * and no Host field may go beside it: the client's host does not reach the worker (mod_proxy_http2 puts it in
     * {@code :authority}).
     */
    private void warnHttp2AuthorityIsTheWorkers(List<WorkerConfig> workers, List<BalancerConfig> balancers) {
        List<WorkerConfig> all = new ArrayList<>(workers);
        balancers.forEach(b -> all.addAll(b.members()));
        all.stream().filter(w -> w.backendScheme().http2()).findFirst().ifPresent(w -> warnings.add(w.where()
                + ": preserve-host has no effect on HTTP/2 worker " + w.name() + ": its :authority is the worker's"
                + " (mod_proxy_http2 puts the client's host there)"));
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
        BalancerConfig.Ejection ejection = null;
        if (b.getEjectAfter() != null) {
            String[] nw = b.getEjectAfter().split(" in ");
            Duration window = Durations.parse(nw[1]);
            if (window.isZero()) {
                throw error(b, "eject-after", "eject-after '" + b.getEjectAfter() + "': the window must be at least 1ms");
            }
            ejection = new BalancerConfig.Ejection(Integer.parseInt(nw[0]), window);
            if (members.size() < 2) {
                warnings.add(where(b) + ": eject-after on balancer '" + name + "' never ejects: with fewer than two members,"
                        + " half of them is none");
            }
        }
        BalancerConfig.Affinity affinity = new BalancerConfig.Affinity(b.isRouteCookie(), b.isLearnedAffinity(),
                b.getAffinityMaxEntries(), Durations.parse(b.getAffinityExpiry()), ejection);
        if ((affinity.routeCookie() || affinity.learned()) && cookie.isEmpty()) {
            throw error(b, "route-cookie and learned-affinity need stickysession: they work on the sticky cookie");
        }
        return BalancerConfig.custom(name).setLbmethod(b.getLbmethod()).setStickyCookie(cookie).setStickyPath(path)
                .setSeparator(sep).setScolonPathDelim(b.isScolonpathdelim()).setNoFailover(b.isNofailover())
                .setMaxAttempts(b.getMaxattempts()).setFailOnStatus(failOn).setFailOnTimeout(b.isFailontimeout())
                .setTimeout(Durations.parse(b.getTimeout())).setForceRecovery(b.isForcerecovery()).setGrowth(b.getGrowth())
                .setNonce(b.getNonce()).setMembers(List.copyOf(members)).setWhere(where(b)).setAffinity(affinity).build();
    }

    private PassRule pass(Pass p, List<BalancerConfig> balancers, List<WorkerConfig> workers) throws DescriptorException {
        BackendTarget to = target(p.isExclude(), p.getTo(), p, balancers, workers);
        boolean reverse = p.isReverse() != null ? p.isReverse() : to != null && to.isBalancer();
        if (to != null && to.isBalancer() && to.path().isEmpty() && p.getPath().endsWith("/")) {
            warnings.add(where(p) + ": pass path '" + p.getPath() + "' ends with '/' and its url '" + to
                    + "' has no path: as in httpd, the rest of a request path is glued to the balancer's name"
                    + " (balancer://" + to.balancer() + "name for " + p.getPath() + "name), so those requests get 500;"
                    + " write '" + to + "/'");
        } else if (to != null && p.getPath().endsWith("/") != to.url().endsWith("/")) {
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
        BackendTarget to = target(p.isExclude(), p.getTo(), p, balancers, workers);
        return new PassRule(null, pattern, to, p.isExclude(), p.isNocanon(), p.isNoquery(), false, where(p));
    }

    private BackendTarget target(boolean exclude, String to, Locatable at, List<BalancerConfig> balancers,
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
        BackendTarget target = checkTarget(t, false, balancers, at, "to");
        if (!target.isBalancer()) {
            // every direct target gets a worker: the declared one that prefixes it, or one of its own
            URI origin = backendUri(target.origin(), at, "to");
            String name = origin.getScheme().toLowerCase(Locale.ROOT) + "://" + origin.getRawAuthority();
            boolean shared = workers.stream().anyMatch(w -> Descriptor.sharesWorker(t, w.name()));
            if (!shared) {
                // as httpd: a worker outside a balancer never goes into error state
                WorkerParams params = WorkerParams.custom().setStatus(StatusFlag.IGNORE_ERRORS.bit()).build();
                workers.add(new WorkerConfig(name, origin, params, where(at)));
            }
        }
        return target;
    }

    /** The target {@code url} names, checked: a declared balancer, or an http(s) URL; null for a path ("/x") where allowed. */
    private BackendTarget checkTarget(String url, boolean pathAllowed, List<BalancerConfig> balancers, Locatable at,
                                      String attribute) throws DescriptorException {
        if (pathAllowed && url.startsWith("/")) {
            return null;
        }
        BackendTarget target;
        try {
            target = BackendTarget.parse(url);
        } catch (IllegalArgumentException e) {
            throw error(at, attribute, attribute + " " + e.getMessage());
        }
        if (target.isBalancer()) {
            String name = target.balancer();
            if (balancers.stream().noneMatch(b -> b.name().equals(name))) {
                throw error(at, attribute, attribute + " '" + url + "' names balancer '" + name + "', which is not declared"
                        + (balancers.isEmpty() ? "" : " (declared: " + String.join(", ", balancers.stream().map(BalancerConfig::name).toList()) + ")"));
            }
            return target;
        }
        backendUri(target.path().contains("$") ? target.origin() : url, at, attribute);
        return target;
    }

    private WorkerConfig worker(Worker w, boolean direct) throws DescriptorException {
        return workers.worker(w, direct);
    }

    private HealthCheck healthCheck(Locatable at, HealthCheck base, String method, String uri, String interval,
                                    Integer passes, Integer fails, String expr) throws DescriptorException {
        return workers.healthCheck(at, base, method, uri, interval, passes, fails, expr);
    }

    private URI backendUri(String url, Locatable at, String attribute) throws DescriptorException {
        return workers.backendUri(url, at, attribute);
    }

    private SourceLocation where(Object o) {
        return errors.where(o);
    }

    private DescriptorException error(Object at, String problem) {
        return errors.error(at, problem);
    }

    private DescriptorException error(Object at, String attribute, String problem) {
        return errors.error(at, attribute, problem);
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
