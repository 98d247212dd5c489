package org.portico.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * httpd's worker parameter {@code upgrade}: the protocols a request may switch to through this worker
 * (mod_proxy_http's tunnel, mod_proxy_wstunnel's {@code ws://} and {@code wss://} workers). Tokens are
 * compared without regard to case, as httpd does; {@code *} allows any. Immutable.
 *
 * @param tokens the allowed tokens, lower-cased, in the order written; empty when none is allowed
 * @param any whether {@code upgrade=*} allows every token
 */
public record UpgradeProtocols(List<String> tokens, boolean any) {

    /** No upgrade: the worker proxies HTTP only (httpd's default for http:// and https:// workers). */
    public static final UpgradeProtocols NONE = new UpgradeProtocols(List.of(), false);

    /** What a ws:// or wss:// worker allows when its {@code upgrade} is not set. */
    public static final UpgradeProtocols WEBSOCKET = new UpgradeProtocols(List.of("websocket"), false);

    public UpgradeProtocols {
        tokens = List.copyOf(tokens);
    }

    /**
     * The value of an {@code upgrade} parameter: {@code *}, or tokens separated by commas or spaces.
     *
     * @throws IllegalArgumentException when no token is given or a token holds a character HTTP does not allow
     */
    public static UpgradeProtocols of(String value) {
        String v = value == null ? "" : value.trim();
        if (v.equals("*")) {
            return new UpgradeProtocols(List.of(), true);
        }
        List<String> tokens = Arrays.stream(v.split("[,\\s]+")).filter(t -> !t.isEmpty())
                .map(t -> t.toLowerCase(Locale.ROOT)).distinct().toList();
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("upgrade '" + v + "' names no protocol: write * or tokens such as websocket");
        }
        for (String t : tokens) {
            if (!t.chars().allMatch(UpgradeProtocols::tokenChar)) {
                throw new IllegalArgumentException("upgrade '" + v + "': '" + t + "' is not an HTTP token");
            }
        }
        return new UpgradeProtocols(tokens, false);
    }

    private static boolean tokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /** Whether a client's {@code Upgrade: token} may be tunnelled through this worker. */
    public boolean allows(String token) {
        return token != null && (any || tokens.contains(token.toLowerCase(Locale.ROOT)));
    }

    /** Whether any upgrade is allowed. */
    public boolean enabled() {
        return any || !tokens.isEmpty();
    }

    /** The value as httpd writes it: {@code *}, the tokens joined by commas, or "" for none. */
    @Override
    public String toString() {
        return any ? "*" : String.join(",", tokens);
    }
}
