package org.portico.routing;

/** Joins a rule's target URL and the part of the request path that follows the matched part. Stateless. */
final class TargetUrl {

    private TargetUrl() {
    }

    /**
     * {@code target + remainder}, except that a {@code balancer://} target ending in '/' swallows one leading
     * '/' of the remainder: httpd 2.4.71 sends {@code /index.html}, not {@code //index.html}, for
     * {@code ProxyPass /baltest2 balancer://foo1/} (spec section 12 item 2), while plain workers keep the {@code //}.
     */
    static String append(String target, boolean balancer, String remainder) {
        if (balancer && target.endsWith("/") && remainder.startsWith("/")) {
            return target + remainder.substring(1);
        }
        return target + remainder;
    }
}
