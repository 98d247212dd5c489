package org.portico.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Picks the one server a descriptor describes. Portico serves one set of rules, so of httpd's
 * {@code <VirtualHost>} sections at most one is imported (with the main server's directives, which httpd
 * merges into every virtual host): the one the user names, or else the only one that proxies.
 */
final class VirtualHosts {

    private static final Set<String> PROXYING = Set.of("proxypass", "proxypassmatch", "balancermember", "proxypassreverse");
    private static final Set<String> CONDITIONALS = Set.of("ifmodule", "ifdefine", "ifversion", "iffile", "ifdirective", "ifsection");

    private VirtualHosts() {
    }

    /** A {@code <VirtualHost>} section with what it can be chosen by. */
    record VirtualHost(ConfigNode.Section section, String serverName, List<String> aliases, boolean proxying) {

        /** By ServerName or ServerAlias (host names compared without scheme and port), or by an address exactly. */
        boolean matches(String wanted) {
            String host = hostOf(wanted);
            if (serverName != null && (serverName.equalsIgnoreCase(wanted) || hostOf(serverName).equals(host))) {
                return true;
            }
            return aliases.stream().anyMatch(a -> a.equalsIgnoreCase(wanted) || hostOf(a).equals(host))
                    || section.args().stream().anyMatch(a -> a.equalsIgnoreCase(wanted));
        }

        String describe() {
            return String.join(" ", section.args()) + " (" + section.where()
                    + (serverName == null ? "" : ", ServerName " + serverName) + (proxying ? "" : ", no proxying") + ")";
        }
    }

    /** The chosen virtual host, or null for the main server alone. */
    static VirtualHost choose(List<ConfigNode> root, String wanted) throws ImportException {
        List<VirtualHost> all = new ArrayList<>();
        collect(root, all);
        if (wanted != null) {
            List<VirtualHost> matching = all.stream().filter(v -> v.matches(wanted)).toList();
            if (matching.size() == 1) {
                return matching.get(0);
            }
            throw new ImportException(null, (matching.isEmpty()
                    ? "--vhost " + wanted + " names no <VirtualHost> (by ServerName, ServerAlias or address); "
                    : "--vhost " + wanted + " matches several <VirtualHost> sections; ")
                    + choices(matching.isEmpty() ? all : matching));
        }
        List<VirtualHost> proxying = all.stream().filter(VirtualHost::proxying).toList();
        if (proxying.size() > 1) {
            throw new ImportException(null, proxying.size() + " <VirtualHost> sections proxy requests, and a Portico descriptor"
                    + " describes one server: choose one with --vhost NAME (its ServerName or address). " + choices(all));
        }
        return proxying.isEmpty() ? null : proxying.get(0);
    }

    private static String choices(List<VirtualHost> hosts) {
        if (hosts.isEmpty()) {
            return "the configuration has no <VirtualHost> section";
        }
        StringBuilder s = new StringBuilder("The choices are:");
        for (VirtualHost v : hosts) {
            s.append("\n  ").append(v.describe());
        }
        return s.toString();
    }

    private static void collect(List<ConfigNode> nodes, List<VirtualHost> into) {
        for (ConfigNode n : nodes) {
            if (n instanceof ConfigNode.Section s) {
                if (s.key().equals("virtualhost")) {
                    into.add(describe(s));
                } else if (CONDITIONALS.contains(s.key())) {
                    collect(s.body(), into);
                }
            }
        }
    }

    private static VirtualHost describe(ConfigNode.Section s) {
        String serverName = null;
        List<String> aliases = new ArrayList<>();
        for (ConfigNode n : flatten(s.body())) {
            if (n instanceof ConfigNode.Directive d && !d.args().isEmpty()) {
                if (d.key().equals("servername") && serverName == null) {
                    serverName = d.args().get(0);
                } else if (d.key().equals("serveralias")) {
                    aliases.addAll(d.args());
                }
            }
        }
        return new VirtualHost(s, serverName, aliases, proxies(s.body()));
    }

    private static List<ConfigNode> flatten(List<ConfigNode> nodes) {
        List<ConfigNode> all = new ArrayList<>();
        for (ConfigNode n : nodes) {
            all.add(n);
            if (n instanceof ConfigNode.Section s) {
                all.addAll(flatten(s.body()));
            }
        }
        return all;
    }

    /** Whether a section body maps requests to backends or defines a balancer. */
    static boolean proxies(List<ConfigNode> body) {
        for (ConfigNode n : flatten(body)) {
            if (n instanceof ConfigNode.Directive d && PROXYING.contains(d.key())) {
                return true;
            }
            if (n instanceof ConfigNode.Section s && s.key().equals("proxy") && !s.args().isEmpty()
                    && ProxyModel.isBalancer(s.args().get(0))) {
                return true;
            }
        }
        return false;
    }

    /** The host of a ServerName or address, lower-cased: scheme and port removed. */
    static String hostOf(String name) {
        String h = name.toLowerCase(Locale.ROOT);
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
