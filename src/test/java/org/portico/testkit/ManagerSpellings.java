package org.portico.testkit;

import java.util.List;

/**
 * Ways to spell the balancer-manager's path that a container may map to the manager servlet while its
 * security constraint (on {@code /balancer-manager} and {@code /balancer-manager/*}) does not match, or the
 * other way round. None of them may show the manager, or change anything, without credentials.
 */
public final class ManagerSpellings {

    /** Request-targets, relative to the context path, raw as sent on the request line. */
    public static final List<String> ALL = List.of(
            "/balancer-manager",
            "/balancer-manager/",
            "/balancer-manager?xml=1",
            "/balancer-manager/traffic",
            "/balancer-manager%2f",
            "/balancer-manager%2F",
            "/balancer-manager%2ftraffic",
            "/balancer-manager%2f?xml=1",
            "/balancer-manager;x",
            "/balancer-manager;x/",
            "/balancer-manager%3bx",
            "/balancer-manager%3Bx",
            "//balancer-manager",
            "//balancer-manager//",
            "/./balancer-manager",
            "/%2e/balancer-manager",
            "/%62alancer-manager",
            "/balancer-%6danager%2f",
            "/x/..%2fbalancer-manager",
            "/x/../balancer-manager",
            "/balancer-manager/..;/balancer-manager",
            "/balancer-manager%2f..%2fbalancer-manager",
            "/balancer-manager%252f",
            "/BALANCER-MANAGER",
            "/Balancer-Manager%2F",
            "/BALANCER-MANAGER/");

    /** What only the manager's own answers contain: its page title, its XML root, its JSON (status and traffic) and nonces. */
    public static boolean showsTheManager(String body) {
        return body.contains("Load Balancer Manager") || body.contains("httpd:manager") || body.contains("nonce=")
                || body.contains("\"balancers\"");
    }

    private ManagerSpellings() {
    }
}
