package org.portico.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.portico.config.BackendTarget;
import org.portico.config.BalancerConfig;
import org.portico.config.Descriptor;
import org.portico.config.PassRule;
import org.portico.config.ReverseRule;
import org.portico.config.WorkerConfig;

/**
 * ProxyPassReverse: maps a backend URL seen in a {@code Location}-like response header back to the
 * client-facing URL ({@code ap_proxy_location_reverse_map}, spec §3.2). Rules are tried in order and
 * the first hit wins: the descriptor's {@code <reverse>} rules, then the reverse mappings implied by
 * {@code <pass reverse="true">} rules. The rules are immutable, and a balancer's rule reads its current members;
 * safe from any thread.
 */
public final class ReverseMap {

    private final List<Rule> rules;

    private ReverseMap(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The rules of {@code descriptor} with the balancers' members as the descriptor declares them.
     *
     * @see #of(Descriptor, Function)
     */
    public static ReverseMap of(Descriptor descriptor) {
        return of(descriptor, name -> descriptor.balancer(name).map(BalancerConfig::members).orElse(List.of()));
    }

    /**
     * The rules of {@code descriptor}: explicit reverse rules in document order, then one per pass
     * rule whose reverse mapping is implied (path = the pass path, url = the pass target).
     *
     * @param membersNow a balancer's members at the time of the call, by balancer name: a rule for
     *        {@code balancer://name} compares a header with them on each use, so that members the
     *        balancer-manager adds at run time are mapped back too. Called from any thread.
     * @throws IllegalArgumentException when a rule holds a control character or names an unknown balancer
     */
    public static ReverseMap of(Descriptor descriptor, Function<String, List<WorkerConfig>> membersNow) {
        List<Rule> rules = new ArrayList<>();
        for (ReverseRule r : descriptor.reverses()) {
            rules.add(rule(r.path(), r.url(), r.target(), false, descriptor, membersNow,
                    r.where() + ": reverse path='" + r.path() + "'"));
        }
        for (PassRule p : descriptor.passes()) {
            if (p.reverse() && !p.exclude() && !p.isRegex() && p.target() != null) {
                rules.add(rule(p.path(), p.target().url(), p.target(), true, descriptor, membersNow,
                        p.where() + ": the reverse mapping implied by " + p));
            }
        }
        return new ReverseMap(rules);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * The header value with the first matching rule applied, or {@code value} itself when no rule
     * matches. A result that is not an absolute URL (every result, since rule paths are paths) is
     * prefixed with {@code front}: the scheme, host and port the client used and the web app's
     * context path, e.g. {@code http://proxy.example:8080/gateway} (no trailing slash; empty context at ROOT).
     */
    public String map(String value, String front) {
        for (Rule rule : rules) {
            String mapped = rule.apply(value);
            if (mapped != null) {
                return HeaderText.withoutControls(isUrl(mapped) ? mapped : front + mapped);
            }
        }
        return value;
    }

    /** The number of rules, explicit and implied. */
    int size() {
        return rules.size();
    }

    /** @param target {@code url} split, null when it is a path */
    private static Rule rule(String path, String url, BackendTarget target, boolean implied, Descriptor descriptor,
                             Function<String, List<WorkerConfig>> membersNow, String what) {
        if (HeaderText.hasControls(path) || HeaderText.hasControls(url)) {
            throw new IllegalArgumentException(what
                    + ": a control character (CR, LF, ...) in a path or url cannot be used in a response header");
        }
        if (target != null && target.isBalancer()) {
            String name = target.balancer();
            if (descriptor.balancer(name).isEmpty()) {
                throw new IllegalArgumentException(what + ": balancer '" + name + "' is not declared");
            }
            String urlPart = target.path().isEmpty() || target.path().equals("/") ? null : target.path();
            return new BalancerRule(path, () -> memberUrls(membersNow.apply(name)), urlPart, implied);
        }
        if (url.startsWith("/")) {
            return new PathRule(path, url);
        }
        return new UrlRule(path, url);
    }

    /** The URLs a header may name members by: each as httpd names the worker, and as written when that differs. */
    private static List<String> memberUrls(List<WorkerConfig> members) {
        List<String> urls = new ArrayList<>(members.size() + 1);
        for (WorkerConfig m : members) {
            String httpdName = withoutDefaultPort(m);
            urls.add(httpdName);
            if (!httpdName.equals(m.name())) {
                urls.add(m.name());
            }
        }
        return urls;
    }

    /**
     * A member's URL as httpd names the worker (apr_uri_unparse): an explicit default port left out,
     * so {@code http://h:80/x} compares as {@code http://h/x}.
     */
    private static String withoutDefaultPort(WorkerConfig member) {
        String name = member.name();
        int port = member.uri().getPort();
        boolean https = member.secure();
        if (port < 0 || port != (https ? 443 : 80)) {
            return name;
        }
        int hostStart = name.indexOf("://") + 3;
        int pathStart = name.indexOf('/', hostStart);
        int authorityEnd = pathStart < 0 ? name.length() : pathStart;
        String suffix = ":" + port;
        if (name.startsWith(suffix, authorityEnd - suffix.length())) {
            return name.substring(0, authorityEnd - suffix.length()) + name.substring(authorityEnd);
        }
        return name;
    }

    /** httpd's ap_is_url: a scheme of letters, digits, '+', '-' or '.' followed by ':'. */
    static boolean isUrl(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code value} starts with {@code prefix}, compared case-insensitively. Unlike httpd, a
     * prefix that is only scheme://host[:port] must end where the authority of the value ends, so
     * that {@code http://b:80} does not take {@code http://b:8080/x} and {@code http://B1} does not
     * take {@code http://B10/}: httpd would turn those into nonsense paths.
     */
    static boolean startsWithUrl(String value, String prefix) {
        if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        if (value.length() == prefix.length() || !isOriginOnly(prefix)) {
            return true;
        }
        return "/?#".indexOf(value.charAt(prefix.length())) >= 0;
    }

    private static boolean isOriginOnly(String url) {
        int scheme = url.indexOf("://");
        return scheme > 0 && url.indexOf('/', scheme + 3) < 0;
    }

    /** One ProxyPassReverse rule; {@code apply} gives the mapped value or null when the rule does not match. */
    private interface Rule {
        String apply(String value);
    }

    /** {@code <reverse path url="http://b/x">}: the value starts with url (case-insensitively). */
    private record UrlRule(String path, String url) implements Rule {
        @Override
        public String apply(String value) {
            return startsWithUrl(value, url) ? path + value.substring(url.length()) : null;
        }
    }

    /** {@code <reverse path url="/x">}: only the path of an absolute value is compared (any host). */
    private record PathRule(String path, String url) implements Rule {
        @Override
        public String apply(String value) {
            String part = value;
            int scheme = value.indexOf("://");
            if (scheme > 0 && isUrl(value)) {
                int slash = value.indexOf('/', scheme + 3);
                if (slash >= 0) {
                    part = value.substring(slash);
                }
            }
            return part.regionMatches(true, 0, url, 0, url.length()) ? path + part.substring(url.length()) : null;
        }
    }

    /**
     * {@code <reverse path url="balancer://name[/urlpart]">}: every member's URL is compared, not only
     * the member that answered. With a urlpart other than "/", member (its trailing '/' dropped,
     * case-insensitive) + urlpart (case-sensitive) + rest becomes path + rest; without one, member +
     * rest becomes path + rest, and just rest when path is "/" and rest starts with '/'.
     *
     * <p>The members are the balancer's at the time of the call, members added at run time included.
     *
     * <p>A rule implied by {@code <pass path="/p/" to="balancer://name/">} avoids the double slash for
     * any path ending in '/', not only for "/": it must undo what the pass rule did, and the pass rule
     * sends {@code /p/x} to member + {@code /x} (the balancer URL's '/' takes the place of the path's,
     * see BackendTarget.append). httpd's own rule gives {@code /p//x}, so an explicit {@code <reverse>} still does.
     */
    private record BalancerRule(String path, Supplier<List<String>> members, String urlPart, boolean implied) implements Rule {
        @Override
        public String apply(String value) {
            for (String member : members.get()) {
                if (urlPart != null) {
                    String m = member.endsWith("/") ? member.substring(0, member.length() - 1) : member;
                    if (value.regionMatches(true, 0, m, 0, m.length()) && value.startsWith(urlPart, m.length())) {
                        return path + value.substring(m.length() + urlPart.length());
                    }
                } else if (startsWithUrl(value, member)) {
                    String rest = value.substring(member.length());
                    boolean joinSlash = "/".equals(path) || (implied && path.endsWith("/"));
                    return joinSlash && rest.startsWith("/") ? path + rest.substring(1) : path + rest;
                }
            }
            return null;
        }
    }
}
