package org.portico.proxy;

import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The hop-by-hop header rules of httpd's mod_proxy_http (spec §9): which headers never cross the proxy. */
final class HopByHop {

    /** Removed from every request to the backend; framing headers are re-derived from the body. */
    private static final Set<String> REQUEST = Set.of(
            "connection", "proxy-connection", "keep-alive", "upgrade", "trailer", "te",
            "transfer-encoding", "content-length", "host", "expect", "max-forwards", "via",
            "x-forwarded-for", "x-forwarded-host", "x-forwarded-server");

    /**
     * Removed from every response to the client. An array compared with {@code equalsIgnoreCase}, not a set of
     * lower-cased names: a response's names arrive capitalised, and lower-casing each cost a string per header
     * on every response (equalsIgnoreCase returns at once on a length that differs).
     */
    private static final String[] RESPONSE = {
        "connection", "proxy-connection", "keep-alive", "proxy-authenticate", "te", "trailer",
        "upgrade", "transfer-encoding", "content-length"};

    /** Names in both fixed sets: listing them in Connection changes nothing. */
    private static final Set<String> DROPPED_BOTH_WAYS = droppedBothWays();

    private HopByHop() {
    }

    private static Set<String> droppedBothWays() {
        Set<String> both = new HashSet<>(Arrays.asList(RESPONSE));
        both.retainAll(REQUEST);
        return Set.copyOf(both);
    }

    /** Lower-cased names a request is not to pass on: the fixed set plus the tokens of its Connection headers. */
    static boolean requestSkips(String lowerName, Set<String> connectionTokens) {
        return REQUEST.contains(lowerName) || connectionTokens.contains(lowerName);
    }

    /** Whether a response header, named in any case, stays behind: the fixed set or a token of its Connection headers. */
    static boolean responseSkips(String name, Set<String> connectionTokens) {
        for (String hop : RESPONSE) {
            if (hop.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return !connectionTokens.isEmpty() && connectionTokens.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The header names listed in Connection header values, lower-cased; usually empty. */
    static Set<String> connectionTokens(Enumeration<String> connectionValues) {
        Set<String> tokens = Set.of();
        while (connectionValues != null && connectionValues.hasMoreElements()) {
            tokens = addTokens(tokens, connectionValues.nextElement());
        }
        return tokens;
    }

    /**
     * {@code tokens} with the names listed in one Connection value. A name both fixed sets drop already is left
     * out, so the usual "Connection: keep-alive" of a backend costs no set and no per-header lookup.
     */
    static Set<String> addTokens(Set<String> tokens, String value) {
        Set<String> result = tokens;
        for (String t : value.split(",")) {
            String name = t.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !DROPPED_BOTH_WAYS.contains(name)) {
                if (result.isEmpty()) {
                    result = new HashSet<>();
                }
                result.add(name);
            }
        }
        return result;
    }
}
