package org.portico.config;

import java.time.Duration;
import java.util.List;

/**
 * A member's mod_proxy_hcheck parameters, after its template was applied.
 *
 * @param method NONE, TCP, OPTIONS, HEAD, GET or their *11 forms, or CPING (ajp:// members)
 * @param expr the name of an {@code hc-expr}, or empty
 */
public record HealthCheck(String method, String uri, Duration interval, int passes, int fails, String expr) {

    /** mod_proxy_hcheck's methods, as the schema and the manager's form list them. */
    public static final List<String> METHODS = List.of("NONE", "TCP", "OPTIONS", "HEAD", "GET", "OPTIONS11", "HEAD11", "GET11",
            "CPING");

    public static final HealthCheck NONE = new HealthCheck("NONE", "", Duration.ofSeconds(30), 1, 1, "");

    /** ProxyHCTemplate's defaults differ from a member's: the method is TCP. */
    public static final HealthCheck TEMPLATE_DEFAULTS = new HealthCheck("TCP", "", Duration.ofSeconds(30), 1, 1, "");

    /**
     * Why {@code method} cannot check a member of {@code scheme}, to follow "hcmethod X on member", or null when
     * it can: CPING is AJP's (as in httpd), the HTTP methods speak HTTP/1.1, which neither an AJP connector nor
     * an HTTP/2-only member answers.
     */
    public static String unfit(String method, BackendScheme scheme) {
        String m = method.toUpperCase(java.util.Locale.ROOT);
        if (m.equals("NONE") || m.equals("TCP")) {
            return null;
        }
        if (m.equals("CPING")) {
            return scheme == BackendScheme.AJP ? null : "checks AJP members only (ajp://); use hcmethod TCP or an HTTP method";
        }
        if (scheme == BackendScheme.AJP) {
            return "cannot check an AJP member: it speaks HTTP; use hcmethod CPING or TCP";
        }
        if (scheme.http2()) {
            return "cannot check an HTTP/2 member: Portico's health checks speak HTTP/1.1; use hcmethod TCP";
        }
        return null;
    }

    public boolean enabled() {
        return !"NONE".equals(method);
    }
}
