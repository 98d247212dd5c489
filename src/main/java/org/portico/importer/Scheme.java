package org.portico.importer;

import java.util.Locale;
import org.portico.config.BackendScheme;

/** What a URL's scheme means to Portico. */
enum Scheme {
    /** A worker URL of a scheme a backend protocol speaks ({@link BackendScheme}). */
    PROXIED, BALANCER, OTHER, NONE;

    static Scheme of(String url) {
        if (backendScheme(url) != null) {
            return PROXIED;
        }
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("balancer://")) {
            return BALANCER;
        }
        return u.contains("://") || u.startsWith("unix:") ? OTHER : NONE;
    }

    /** The backend protocol {@code url}'s scheme names, in any case; null when it names none. */
    static BackendScheme backendScheme(String url) {
        int end = url.indexOf("://");
        return end <= 0 ? null : BackendScheme.of(url.substring(0, end)).orElse(null);
    }

    static String unsupported(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("unix:")) {
            return "Portico does not proxy to Unix domain sockets";
        }
        int colon = u.indexOf(':');
        return "Portico proxies " + BackendScheme.listed() + " and balancer:// URLs, not "
                + (colon < 0 ? u : u.substring(0, colon)) + "://";
    }
}
