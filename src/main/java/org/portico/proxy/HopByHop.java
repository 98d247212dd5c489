package org.portico.proxy;

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

    /** Removed from every response to the client. */
    private static final Set<String> RESPONSE = Set.of(
            "connection", "proxy-connection", "keep-alive", "proxy-authenticate", "te", "trailer",
            "upgrade", "transfer-encoding", "content-length");

    private HopByHop() {
    }

    /** Lower-cased names a request is not to pass on: the fixed set plus the tokens of its Connection headers. */
    static boolean requestSkips(String lowerName, Set<String> connectionTokens) {
        return REQUEST.contains(lowerName) || connectionTokens.contains(lowerName);
    }

    static boolean responseSkips(String lowerName, Set<String> connectionTokens) {
        return RESPONSE.contains(lowerName) || connectionTokens.contains(lowerName);
    }

    /** The header names listed in Connection header values, lower-cased; usually empty. */
    static Set<String> connectionTokens(Enumeration<String> connectionValues) {
        Set<String> tokens = Set.of();
        while (connectionValues != null && connectionValues.hasMoreElements()) {
            tokens = addTokens(tokens, connectionValues.nextElement());
        }
        return tokens;
    }

    static Set<String> addTokens(Set<String> tokens, String value) {
        Set<String> result = tokens;
        for (String t : value.split(",")) {
            String name = t.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                if (result.isEmpty()) {
                    result = new HashSet<>();
                }
                result.add(name);
            }
        }
        return result;
    }
}
