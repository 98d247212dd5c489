package org.portico.balancer;

import org.portico.config.BalancerConfig;

/**
 * The session a request carries for a sticky balancer (spec §5): which name it was found under, its
 * value, and the route in that value. Extraction follows httpd's {@code get_path_param},
 * {@code get_cookie_param} and {@code find_session_route}; it never throws, and a malformed or missing
 * value simply means "no session" or "no route". Immutable; the extraction reads only its arguments.
 *
 * @param name the URL parameter or cookie name that matched (httpd's BALANCER_SESSION_STICKY)
 * @param value the session value as the request carried it
 * @param route the text after the first separator (the whole value when the separator is Off), or
 *              null when there is none: then the request is balanced normally
 */
public record StickyRoute(String name, String value, String route) {

    /** Whether the value carries a route to look members up by. */
    public boolean hasRoute() {
        return route != null;
    }

    /**
     * The session of a request: the URL parameter first, then the cookie, as httpd does. Null when the
     * balancer is not sticky or the request carries neither.
     *
     * @param rawPathAndQuery the request's path as received (still %-encoded, {@code ;param}s
     *                        included), optionally followed by {@code ?query}
     * @param cookieHeaders every {@code Cookie} header value of the request, in order (may be null)
     */
    public static StickyRoute find(String rawPathAndQuery, Iterable<String> cookieHeaders, BalancerConfig balancer) {
        StickyRoute fromPath = fromPath(rawPathAndQuery, balancer);
        return fromPath != null ? fromPath : fromCookieHeaders(cookieHeaders, balancer);
    }

    /**
     * The session in the URL: the balancer's path name ({@code stickysession} after '|') followed by
     * '='. Portico searches the path and the query, as httpd's manual describes (httpd ≥ 2.4.62 searches
     * the path only). Null when absent or the balancer is not sticky.
     */
    static StickyRoute fromPath(String rawPathAndQuery, BalancerConfig balancer) {
        if (balancer == null || !balancer.sticky() || balancer.stickyPath().isEmpty()) {
            return null;
        }
        String value = pathParameter(rawPathAndQuery, balancer.stickyPath(), balancer.scolonPathDelim());
        return value == null ? null : of(balancer.stickyPath(), value, balancer.separator());
    }

    /** The session in one {@code Cookie} header value; null when absent or the balancer is not sticky. */
    static StickyRoute fromCookieHeader(String cookieHeader, BalancerConfig balancer) {
        if (balancer == null || !balancer.sticky()) {
            return null;
        }
        String value = cookieValue(cookieHeader, balancer.stickyCookie());
        return value == null ? null : of(balancer.stickyCookie(), value, balancer.separator());
    }

    /**
     * The session in a request's {@code Cookie} headers. All of them are searched, as httpd 2.4.71
     * does in practice (it joins repeated headers with ", " before looking, spec §12.3).
     */
    static StickyRoute fromCookieHeaders(Iterable<String> cookieHeaders, BalancerConfig balancer) {
        if (cookieHeaders == null) {
            return null;
        }
        StringBuilder joined = null;
        for (String h : cookieHeaders) {
            if (h == null) {
                continue;
            }
            if (joined == null) {
                joined = new StringBuilder(h);
            } else {
                joined.append(", ").append(h);
            }
        }
        return joined == null ? null : fromCookieHeader(joined.toString(), balancer);
    }

    /** A session value with its route extracted by {@link #routeOf}. */
    public static StickyRoute of(String name, String value, char separator) {
        return new StickyRoute(name, value, routeOf(value, separator));
    }

    /**
     * The route in a session value: the text after the first {@code separator}; the whole value when the
     * separator is 0 (Off). Null when there is no separator in the value, or the route would be empty.
     */
    public static String routeOf(String value, char separator) {
        if (value == null) {
            return null;
        }
        String route = value;
        if (separator != 0) {
            int at = value.indexOf(separator);
            route = at < 0 ? null : value.substring(at + 1);
        }
        return route == null || route.isEmpty() ? null : route;
    }

    /**
     * httpd's get_path_param: every occurrence of {@code name} (a plain, case-sensitive substring: no
     * delimiter is needed before it) that is followed by '=' and a value; the value ends at '?' or '&',
     * and also at ';' when {@code semicolonEnds}. One difference: httpd's tokenizer skips delimiters
     * right after '=' and would take the next parameter as the value; Portico takes an empty value as
     * absent and keeps looking.
     */
    static String pathParameter(String url, String name, boolean semicolonEnds) {
        if (url == null || name == null || name.isEmpty()) {
            return null;
        }
        for (int at = url.indexOf(name); at >= 0; at = url.indexOf(name, at + 1)) {
            int start = at + name.length();
            if (start < url.length() && url.charAt(start) == '=') {
                start++;
                int end = start;
                while (end < url.length() && !endsPathValue(url.charAt(end), semicolonEnds)) {
                    end++;
                }
                if (end > start) {
                    return url.substring(start, end);
                }
            }
        }
        return null;
    }

    private static boolean endsPathValue(char c, boolean semicolonEnds) {
        return c == '?' || c == '&' || (semicolonEnds && c == ';');
    }

    /**
     * httpd's get_cookie_param: {@code name} (case-sensitive) at the start of the header or after ';',
     * ',' or whitespace, then optional whitespace, '=' and a non-empty rest; the value runs to the next
     * ';' or ','. The first such occurrence wins, even when its value is empty ({@code a=; ...}).
     */
    static String cookieValue(String header, String name) {
        if (header == null || name == null || name.isEmpty()) {
            return null;
        }
        for (int at = header.indexOf(name); at >= 0; at = header.indexOf(name, at + 1)) {
            if (at > 0) {
                char before = header.charAt(at - 1);
                if (before != ';' && before != ',' && !isCSpace(before)) {
                    continue;
                }
            }
            int i = at + name.length();
            while (i < header.length() && isCSpace(header.charAt(i))) {
                i++;
            }
            if (i < header.length() && header.charAt(i) == '=' && i + 1 < header.length()) {
                int start = i + 1;
                int end = start;
                while (end < header.length() && header.charAt(end) != ';' && header.charAt(end) != ',') {
                    end++;
                }
                return header.substring(start, end);
            }
        }
        return null;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
    }
}
