package org.portico.importer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The client networks an httpd configuration lets reach its balancer-manager, for {@code portico.manager-allow}:
 * read from the access directives of a {@code <Location /balancer-manager>} (or a {@code <LocationMatch>} that
 * clearly targets it) — {@code Require ip}, {@code Require host localhost}, {@code Require local}, and
 * mod_access_compat's {@code Order}/{@code Allow from}/{@code Deny from}. Portico always asks for the realm's login
 * as well, and has no deny-list: what would need either is reported as not imported, line by line. Not
 * thread-safe: one import fills it.
 */
final class ManagerAccess {

    static final String PARAM = "portico.manager-allow";
    private static final String MANAGER = "/balancer-manager";
    private static final List<String> LOOPBACK_HOST = List.of("127.0.0.1/32", "::1/128");
    /** httpd's Require local: the loopback networks (and the server's own address, which a proxy cannot name). */
    private static final List<String> LOCAL = List.of("127.0.0.0/8", "::1/128");
    private static final Set<String> DIRECTIVES = Set.of("require", "order", "allow", "deny", "satisfy");
    private static final Set<String> SECTIONS = Set.of("requireall", "requireany", "requirenone");

    private final ImportReport report;
    /** The access rules already reported on, by identity: the others are reported as imported at the end. */
    private final Set<ConfigNode> reported = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The access directives and sections of the last manager section that had any (httpd: the last one wins). */
    private List<ConfigNode> rules = List.of();
    private ConfigNode.Section rulesSection;

    /** What one Require line means to Portico. */
    private enum Kind { NETWORKS, ANYONE, REALM, OTHER }

    private record Line(ConfigNode node, Kind kind, List<String> networks, String why) {
    }

    ManagerAccess(ImportReport report) {
        this.report = report;
    }

    /** Whether a {@code <Location>} ({@code regex} false) or {@code <LocationMatch>} is the balancer-manager's. */
    static boolean targetsManager(String path, boolean regex) {
        if (!regex) {
            return path.equals(MANAGER) || path.equals(MANAGER + "/");
        }
        try {
            Pattern p = Pattern.compile(path);
            // it takes the manager's path and not the site's others
            return p.matcher(MANAGER).find() && !p.matcher("/").find() && !p.matcher("/app/").find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** Whether this node is an access rule, which {@link #take} takes from a manager section. */
    static boolean isAccessRule(ConfigNode n) {
        return n instanceof ConfigNode.Directive d ? DIRECTIVES.contains(d.key())
                : SECTIONS.contains(((ConfigNode.Section) n).key());
    }

    /** Takes the access rules of a manager section; they replace an earlier section's, as httpd merges sections. */
    void take(ConfigNode.Section section, List<ConfigNode> accessRules) {
        if (accessRules.isEmpty()) {
            return;
        }
        if (rulesSection != null) {
            for (ConfigNode n : rules) {
                notImported(n.where(), text(n), "a later " + section.tag() + " at " + section.where()
                        + " replaces this section's access rules, as in httpd");
            }
        }
        rules = List.copyOf(accessRules);
        rulesSection = section;
    }

    /** The networks for {@code portico.manager-allow}, comma-separated; null when the manager's address is not limited. */
    String allowList() {
        if (rules.isEmpty()) {
            return null;
        }
        boolean compat = rules.stream().anyMatch(n -> n instanceof ConfigNode.Directive d && !d.key().equals("require"));
        boolean require = rules.stream().anyMatch(n -> n instanceof ConfigNode.Section
                || ((ConfigNode.Directive) n).key().equals("require"));
        if (compat && require) {
            for (ConfigNode n : rules) {
                notImported(n.where(), text(n), "Require mixed with Order/Allow/Deny in one section: httpd's own"
                        + " combination of the two is a trap, so neither is imported; use Require alone");
            }
            return null;
        }
        Set<String> networks = compat ? accessCompat() : requireLines();
        String list = networks == null ? null : String.join(",", networks);
        for (ConfigNode n : all(rules)) {
            if (!reported.contains(n) && n instanceof ConfigNode.Directive d) {
                report.note(d.where(), d.text() + ": " + (list == null ? "the manager answers every address (the realm's"
                        + " login is still asked)" : "imported as " + PARAM + "=" + list + " (the realm's login is asked as well)"));
            }
        }
        return list;
    }

    /** Top-level Require lines: in httpd, several of them are alternatives (an implicit RequireAny). */
    private Set<String> requireLines() {
        List<Line> lines = new ArrayList<>();
        for (ConfigNode n : rules) {
            if (n instanceof ConfigNode.Section s) {
                Set<String> all = s.key().equals("requireall") ? requireAll(s) : null;
                if (all == null) {
                    if (!s.key().equals("requireall")) {
                        notImported(s.where(), s.tag() + " and its " + s.body().size() + " lines", s.key().equals("requireany")
                                ? "alternatives Portico cannot give: it always asks for the realm's login and admits only the"
                                + " listed networks; write the networks as Require ip lines alone"
                                : "Portico has no deny-list");
                    }
                    continue;
                }
                lines.add(new Line(s, Kind.NETWORKS, List.copyOf(all), null));
            } else {
                lines.add(line((ConfigNode.Directive) n));
            }
        }
        return alternatives(lines);
    }

    /** {@code <RequireAll>}: at most one line of networks, with realm lines (Portico asks the login anyway). */
    private Set<String> requireAll(ConfigNode.Section s) {
        List<Line> networks = new ArrayList<>();
        for (ConfigNode n : s.body()) {
            if (!(n instanceof ConfigNode.Directive d) || !d.key().equals("require")) {
                notImported(n.where(), text(n), "inside " + s.tag() + ": only Require lines are imported there");
                continue;
            }
            Line line = line(d);
            switch (line.kind()) {
                case NETWORKS -> networks.add(line);
                case REALM -> realmNote(d);
                case ANYONE -> { } // all granted and something else is the something else
                default -> notImported(d.where(), d.text(), line.why());
            }
        }
        if (networks.size() > 1) {
            for (Line l : networks) {
                notImported(l.node().where(), text(l.node()), "inside " + s.tag()
                        + ": a client must be in every one of these networks, which one list cannot say; give their intersection");
            }
            return null;
        }
        return networks.isEmpty() ? null : new LinkedHashSet<>(networks.get(0).networks());
    }

    private Set<String> alternatives(List<Line> lines) {
        boolean realm = lines.stream().anyMatch(l -> l.kind() == Kind.REALM);
        boolean networks = lines.stream().anyMatch(l -> l.kind() == Kind.NETWORKS);
        boolean anyone = lines.stream().anyMatch(l -> l.kind() == Kind.ANYONE);
        Set<String> allowed = new LinkedHashSet<>();
        for (Line l : lines) {
            ConfigNode d = l.node();
            switch (l.kind()) {
                case OTHER -> notImported(d.where(), text(d), l.why());
                case REALM -> {
                    if (networks) {
                        notImported(d.where(), text(d), "an alternative to the Require ip lines here (either"
                                + " suffices in httpd); Portico asks for the realm's login and an allowed address together");
                    } else {
                        realmNote(d);
                    }
                }
                case ANYONE -> note(d.where(), text(d) + ": the manager answers every address (the realm's login"
                        + " is still asked)");
                case NETWORKS -> {
                    if (realm || anyone) {
                        notImported(d.where(), text(d), anyone ? "Require all granted in the same section"
                                + " admits every address" : "an alternative to the login (either suffices in httpd);"
                                + " Portico asks for the realm's login and an allowed address together");
                    } else {
                        allowed.addAll(l.networks());
                    }
                }
                default -> throw new IllegalStateException(l.kind().name());
            }
        }
        return allowed.isEmpty() ? null : allowed;
    }

    private Line line(ConfigNode.Directive d) {
        List<String> a = d.args();
        if (a.isEmpty()) {
            return new Line(d, Kind.OTHER, List.of(), "Require needs an argument");
        }
        String type = a.get(0).toLowerCase(Locale.ROOT);
        List<String> rest = a.subList(1, a.size());
        switch (type) {
            case "ip" -> {
                List<String> networks = new ArrayList<>();
                for (String r : rest) {
                    String network = HttpdNetwork.cidr(r);
                    if (network == null) {
                        return new Line(d, Kind.OTHER, List.of(), "'" + r + "' is not an IP address or network");
                    }
                    networks.add(network);
                }
                return rest.isEmpty() ? new Line(d, Kind.OTHER, List.of(), "Require ip names no address")
                        : new Line(d, Kind.NETWORKS, networks, null);
            }
            case "local" -> {
                return new Line(d, Kind.NETWORKS, LOCAL, null);
            }
            case "host" -> {
                boolean localhost = !rest.isEmpty() && rest.stream().allMatch(h -> h.equalsIgnoreCase("localhost"));
                return localhost ? new Line(d, Kind.NETWORKS, LOOPBACK_HOST, null)
                        : new Line(d, Kind.OTHER, List.of(), "Portico admits the manager by address, not by host name"
                        + " (a reverse DNS lookup per request); only localhost is taken, as 127.0.0.1 and ::1");
            }
            case "all" -> {
                boolean granted = rest.size() == 1 && rest.get(0).equalsIgnoreCase("granted");
                return granted ? new Line(d, Kind.ANYONE, List.of(), null)
                        : new Line(d, Kind.OTHER, List.of(), "the manager closed to everyone has no allow-list:"
                        + " leave the realm without portico-admin users instead");
            }
            case "valid-user", "user", "group" -> {
                return new Line(d, Kind.REALM, List.of(), null);
            }
            default -> {
                return new Line(d, Kind.OTHER, List.of(), "Portico admits the manager by the realm's role portico-admin"
                        + " and client addresses only (" + (type.equals("not") ? "no negations" : "no Require " + type) + ")");
            }
        }
    }

    private void realmNote(ConfigNode d) {
        note(d.where(), text(d) + ": the container's realm asks for the login (users with the role portico-admin)");
    }

    /** mod_access_compat: Order, Allow from, Deny from, Satisfy. */
    private Set<String> accessCompat() {
        boolean denyFirst = true; // httpd's default Order is Deny,Allow
        boolean denyAll = false;
        boolean allowAll = false;
        Set<String> allowed = new LinkedHashSet<>();
        for (ConfigNode n : rules) {
            ConfigNode.Directive d = (ConfigNode.Directive) n;
            List<String> a = d.args();
            switch (d.key()) {
                case "order" -> {
                    String order = d.argText().replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
                    if (order.equals("allow,deny")) {
                        denyFirst = false;
                    } else if (!order.equals("deny,allow")) {
                        notImported(d.where(), d.text(), "only Order Deny,Allow and Order Allow,Deny are imported");
                        return null;
                    }
                }
                case "satisfy" -> {
                    if (!d.argText().equalsIgnoreCase("all")) {
                        notImported(d.where(), d.text(), "Portico asks for the realm's login and an allowed address"
                                + " together (Satisfy All), never either one");
                        return null;
                    }
                }
                case "allow", "deny" -> {
                    boolean allow = d.key().equals("allow");
                    List<String> hosts = !a.isEmpty() && a.get(0).equalsIgnoreCase("from") ? a.subList(1, a.size()) : List.of();
                    if (hosts.isEmpty()) {
                        notImported(d.where(), d.text(), "expected " + d.name() + " from ADDRESS ...");
                        continue;
                    }
                    if (hosts.size() == 1 && hosts.get(0).equalsIgnoreCase("all")) {
                        if (allow) {
                            allowAll = true;
                        } else {
                            denyAll = true;
                        }
                        continue;
                    }
                    if (!allow) {
                        notImported(d.where(), d.text(), "Portico has no deny-list: list the networks that may"
                                + " reach the manager instead");
                        continue;
                    }
                    List<String> networks = new ArrayList<>();
                    for (String h : hosts) {
                        List<String> n2 = h.equalsIgnoreCase("localhost") ? LOOPBACK_HOST : networkOrNull(h);
                        if (n2 == null) {
                            notImported(d.where(), d.text(), "'" + h + "' is not an IP address or network (host names"
                                    + " and env= are not imported; localhost is, as 127.0.0.1 and ::1)");
                            networks = null;
                            break;
                        }
                        networks.addAll(n2);
                    }
                    if (networks != null) {
                        allowed.addAll(networks);
                    }
                }
                default -> throw new IllegalStateException(d.key());
            }
        }
        // Deny,Allow: allowed unless denied, and Allow overrides Deny; Allow,Deny: denied unless allowed
        if (denyFirst ? !denyAll : allowAll && !denyAll) {
            return null;
        }
        if (allowed.isEmpty() || !denyFirst && denyAll) {
            for (ConfigNode n : rules) {
                if (!reported.contains(n)) {
                    notImported(n.where(), text(n), "the manager closed to every address has no allow-list: leave the"
                            + " realm without portico-admin users instead");
                }
            }
            return null;
        }
        return allowed;
    }

    private static List<String> networkOrNull(String text) {
        String n = HttpdNetwork.cidr(text);
        return n == null ? null : List.of(n);
    }

    private void notImported(Where where, String what, String why) {
        markReported(where);
        report.notImported(where, what, why);
    }

    private void note(Where where, String text) {
        markReported(where);
        report.note(where, text);
    }

    /** Lines are told apart by where they stand: one access rule per line. */
    private void markReported(Where where) {
        for (ConfigNode n : all(rules)) {
            if (n.where().equals(where)) {
                reported.add(n);
            }
        }
    }

    /** The rules and the lines inside their sections. */
    private static List<ConfigNode> all(List<ConfigNode> nodes) {
        List<ConfigNode> flat = new ArrayList<>();
        for (ConfigNode n : nodes) {
            flat.add(n);
            if (n instanceof ConfigNode.Section s) {
                flat.addAll(all(s.body()));
            }
        }
        return flat;
    }

    private static String text(ConfigNode n) {
        return n instanceof ConfigNode.Directive d ? d.text() : ((ConfigNode.Section) n).tag();
    }
}
