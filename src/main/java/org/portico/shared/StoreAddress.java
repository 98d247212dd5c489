package org.portico.shared;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the shared state lives, as the operator wrote it in {@code portico.shared-state} or {@code --shared-state}:
 * {@code etcd://host:port[,host:port]/prefix} or {@code zk://host:port[,host:port]/prefix}, with optional query
 * parameters {@code ttl} (seconds a dead instance's reports live on; default 10), {@code instance} (this instance's
 * name in the cluster; default host name and process id) and {@code error-quorum} (0: route by this instance's own
 * health view only; k: also treat a member as in error while k other instances report it so). Immutable.
 *
 * @param scheme {@code etcd} or {@code zk}, lower case
 * @param hosts  {@code host:port} of each server, in the order written
 * @param prefix the key prefix, starting with {@code /} and without a trailing one
 */
public record StoreAddress(String scheme, List<String> hosts, String prefix, Duration ttl, String instance,
                           int errorQuorum) {

    /** The default time a dead instance's reports outlive it. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

    public StoreAddress {
        hosts = List.copyOf(hosts);
    }

    /**
     * Parses the setting's value.
     *
     * @throws IllegalArgumentException saying what is wrong and what is allowed
     */
    public static StoreAddress parse(String text) {
        String form = "write etcd://host:port[,host:port]/prefix or zk://host:port[,host:port]/prefix";
        String t = text == null ? "" : text.trim();
        int colon = t.indexOf("://");
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + t + "' is not a shared-state address: " + form);
        }
        String scheme = t.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("etcd") && !scheme.equals("zk")) {
            throw new IllegalArgumentException("'" + scheme + "' is not a shared-state engine: " + form);
        }
        String rest = t.substring(colon + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.isEmpty() || !prefix.matches("(/[A-Za-z0-9._-]+)+")) {
            throw new IllegalArgumentException("'" + t + "' needs a key prefix such as /portico (letters, digits, . _ - "
                    + "between slashes): " + form);
        }
        List<String> hosts = new ArrayList<>();
        for (String h : authority.split(",")) {
            String host = h.trim();
            int c = host.lastIndexOf(':');
            if (c <= 0 || !host.substring(c + 1).matches("\\d{1,5}") || Integer.parseInt(host.substring(c + 1)) > 65535) {
                throw new IllegalArgumentException("'" + host + "' in '" + t + "' is not host:port: " + form);
            }
            hosts.add(host);
        }
        Map<String, String> params = new TreeMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        Duration ttl = DEFAULT_TTL;
        String instance = null;
        int quorum = 0;
        for (Map.Entry<String, String> e : params.entrySet()) {
            switch (e.getKey()) {
                case "ttl" -> ttl = Duration.ofSeconds(number(e, 2, 3600));
                case "instance" -> {
                    instance = e.getValue();
                    if (!instance.matches("[A-Za-z0-9._:-]{1,64}")) {
                        throw new IllegalArgumentException("instance=" + instance + ": use 1 to 64 letters, digits, . _ : -");
                    }
                }
                case "error-quorum" -> quorum = number(e, 0, 100);
                default -> throw new IllegalArgumentException("'" + e.getKey() + "' is not a shared-state parameter: "
                        + "use ttl (seconds), instance (a name) or error-quorum (a count)");
            }
        }
        return new StoreAddress(scheme, hosts, prefix, ttl, instance, quorum);
    }

    private static int number(Map.Entry<String, String> e, int min, int max) {
        String v = e.getValue();
        if (!v.matches("\\d{1,4}") || Integer.parseInt(v) < min || Integer.parseInt(v) > max) {
            throw new IllegalArgumentException(e.getKey() + "=" + v + ": use a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(v);
    }

    /** The address without its parameters, as the manager and the log name the store. */
    @Override
    public String toString() {
        return scheme + "://" + String.join(",", hosts) + prefix;
    }
}
