package org.portico.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.portico.config.BackendTarget;

/**
 * What an httpd configuration says about proxying, in the descriptor's terms: settings, health-check
 * expressions and templates, direct workers, balancers with their members, and the mapping rules in the
 * order the descriptor must try them. Attribute maps keep the order the parameters were written in.
 * Not thread-safe: built by one import.
 */
final class ProxyModel {

    /** A descriptor attribute set, in the order written; a later value for a key replaces the earlier. */
    static final class Attributes extends LinkedHashMap<String, String> {
        private static final long serialVersionUID = 1L;
    }

    /** A direct worker; {@code declared} ones become {@code <worker>} elements, the others are implied by rules. */
    static final class WorkerEntry {
        final String url;
        final Attributes attributes = new Attributes();
        final Where where;
        boolean declared;

        WorkerEntry(String url, Where where) {
            this.url = url;
            this.where = where;
        }
    }

    /** A BalancerMember, or (when {@code comment} is set) one that can only be kept as a comment. */
    record Member(String url, Attributes attributes, Where where, String comment) {
    }

    static final class BalancerEntry {
        final String name;
        final Attributes attributes = new Attributes();
        final List<Member> members = new ArrayList<>();
        final Where where;

        BalancerEntry(String name, Where where) {
            this.name = name;
            this.where = where;
        }

        /** The member whose worker a new member URL would share (httpd's worker sharing), if any. */
        Optional<Member> sharedBy(String url) {
            return members.stream().filter(m -> m.comment() == null && shares(url, m.url())).findFirst();
        }
    }

    /** A mapping rule element ({@code pass}, {@code pass-match}, {@code reverse}, ...) or a comment in its place. */
    record Rule(String element, Attributes attributes, Where where, String comment) {
    }

    record HcExpr(String name, String expression, Where where) {
    }

    record HcTemplate(String name, Attributes attributes, Where where) {
    }

    private static final Pattern BALANCER_NAME = Pattern.compile("[A-Za-z0-9._~\\-]+");

    final Attributes settings = new Attributes();
    final Map<String, Where> settingSources = new LinkedHashMap<>();
    final Map<String, HcExpr> hcExprs = new LinkedHashMap<>();
    final Map<String, HcTemplate> hcTemplates = new LinkedHashMap<>();
    final List<WorkerEntry> workers = new ArrayList<>();
    final Map<String, BalancerEntry> balancers = new LinkedHashMap<>();
    final List<Rule> rules = new ArrayList<>();
    /** {@code portico.manager-allow} from the balancer-manager's {@code <Location>}; null: any address. */
    String managerAllow;

    /**
     * The balancer of that name, made when it is first named (by ProxyPass, BalancerMember, ProxySet or
     * {@code <Proxy>}, as in httpd).
     *
     * @throws ImportException when the name cannot be a descriptor's balancer name
     */
    BalancerEntry balancer(String name, Where where) throws ImportException {
        if (!BALANCER_NAME.matcher(name).matches()) {
            throw new ImportException(where, "balancer name '" + name + "' cannot be used in a Portico descriptor:"
                    + " use letters, digits, '.', '_', '~' and '-'");
        }
        return balancers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new BalancerEntry(n, where));
    }

    /** The direct worker that serves {@code url} (the longest whose name prefixes it), if any. */
    Optional<WorkerEntry> workerFor(String url) {
        WorkerEntry best = null;
        for (WorkerEntry w : workers) {
            if (shares(url, w.url) && (best == null || name(w.url).length() > name(best.url).length())) {
                best = w;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The balancer name of a {@code balancer://name[/path]} URL, lower-cased (httpd's names are case-insensitive); empty when it has none. */
    static String balancerName(String url) {
        try {
            return BackendTarget.parse(url).balancer();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static boolean isBalancer(String url) {
        return BackendTarget.isBalancerUrl(url);
    }

    /** A worker's name as httpd and Portico compare it: the trailing "/" of a root path dropped. */
    static String name(String url) {
        int scheme = url.indexOf("://");
        if (url.endsWith("/") && scheme >= 0 && url.indexOf('/', scheme + 3) == url.length() - 1) {
            return url.substring(0, url.length() - 1);
        }
        return url;
    }

    /**
     * httpd's worker sharing: the worker named {@code worker} serves {@code url} when its name prefixes
     * the URL (case-insensitively) up to a path boundary, so http://h:80 does not serve http://h:8081.
     */
    static boolean shares(String url, String worker) {
        String w = name(worker);
        int n = w.length();
        if (!url.regionMatches(true, 0, w, 0, n)) {
            return false;
        }
        return url.length() == n || w.endsWith("/") || "/?#$".indexOf(url.charAt(n)) >= 0;
    }
}
