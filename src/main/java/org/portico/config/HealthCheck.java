package org.portico.config;

import java.time.Duration;
import java.util.List;

/**
 * A member's mod_proxy_hcheck parameters, after its template was applied.
 *
 * @param method NONE, TCP, OPTIONS, HEAD, GET or their *11 forms
 * @param expr the name of an {@code hc-expr}, or empty
 */
public record HealthCheck(String method, String uri, Duration interval, int passes, int fails, String expr) {

    /** mod_proxy_hcheck's methods, as the schema and the manager's form list them. */
    public static final List<String> METHODS = List.of("NONE", "TCP", "OPTIONS", "HEAD", "GET", "OPTIONS11", "HEAD11", "GET11");

    public static final HealthCheck NONE = new HealthCheck("NONE", "", Duration.ofSeconds(30), 1, 1, "");

    /** ProxyHCTemplate's defaults differ from a member's: the method is TCP. */
    public static final HealthCheck TEMPLATE_DEFAULTS = new HealthCheck("TCP", "", Duration.ofSeconds(30), 1, 1, "");

    public boolean enabled() {
        return !"NONE".equals(method);
    }
}
