package org.portico.config;

/** ProxyPassReverseCookieDomain or ProxyPassReverseCookiePath: {@code from} (internal) becomes {@code to} (public). */
public record CookieRewrite(String from, String to) {
}
