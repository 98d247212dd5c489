package org.portico.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Where requests go, split once: a balancer ({@code balancer://name/path}) or one worker
 * ({@code http://host:port/path}), and the path after the name or authority. A pass rule holds the target
 * as written, where a ProxyPassMatch {@code $n} may stand for the path ({@code balancer://mycluster$1},
 * {@code http://b:8080$1}); routing turns it into each request's target with {@link #withPath} or
 * {@link #append}. Everything else reads the parts and never re-parses the text. Immutable.
 *
 * @param balancer the balancer's name, lower-cased (httpd's names are case-insensitive); null for a worker
 * @param origin {@code scheme://authority} of a worker, as written; null for a balancer
 * @param path what follows the name or authority: empty, a path starting with '/', or (in a rule's
 *        template) text starting with a {@code $n} group
 */
public record BackendTarget(String balancer, String origin, String path) {

    /** The scheme of balancer targets. */
    public static final String BALANCER_SCHEME = "balancer://";

    public BackendTarget {
        if ((balancer == null) == (origin == null)) {
            throw new IllegalArgumentException("a target is either a balancer or a worker");
        }
        Objects.requireNonNull(path, "path");
    }

    /**
     * Splits {@code url}. The name or authority ends where the path or a regex group begins
     * ({@code balancer://name$1}); a group right after a worker's authority must stand for the whole path
     * ({@code http://b:8080$1}), so that it cannot change the host or port.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code url}, quoted
     */
    public static BackendTarget parse(String url) {
        if (isBalancerUrl(url)) {
            String rest = url.substring(BALANCER_SCHEME.length());
            int end = nameEnd(rest, 0);
            if (end == 0) {
                throw new IllegalArgumentException("'" + url + "' has no balancer name: write balancer://name[/path]");
            }
            return new BackendTarget(rest.substring(0, end).toLowerCase(Locale.ROOT), null, rest.substring(end));
        }
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("'" + url + "' has no scheme: write http://host[:port][/path] or https://...");
        }
        int end = nameEnd(url, schemeEnd + 3);
        String authority = url.substring(schemeEnd + 3, end);
        if (end < url.length() && url.charAt(end) == '$'
                && (authority.isEmpty() || authority.endsWith(":") || authority.endsWith(".")
                    || !url.substring(end).matches("(\\$[0-9])+"))) {
            throw new IllegalArgumentException("'" + url
                    + "' must have a fixed scheme, host and port: $1..$9 may only stand for its path");
        }
        return new BackendTarget(null, url.substring(0, end), url.substring(end));
    }

    /** Whether {@code url} starts with {@code balancer://} (in any case). */
    public static boolean isBalancerUrl(String url) {
        return url.regionMatches(true, 0, BALANCER_SCHEME, 0, BALANCER_SCHEME.length());
    }

    private static int nameEnd(String s, int from) {
        int end = from;
        while (end < s.length() && s.charAt(end) != '/' && s.charAt(end) != '$') {
            end++;
        }
        return end;
    }

    public boolean isBalancer() {
        return balancer != null;
    }

    /** The same balancer or worker with another path (a ProxyPassMatch template's expansion). */
    public BackendTarget withPath(String newPath) {
        return new BackendTarget(balancer, origin, newPath);
    }

    /**
     * This target with the request path's remainder appended as it is, as httpd glues the two strings:
     * {@code ProxyPass /bslash balancer://one/} sends {@code //name} for {@code /bslash/name}, like a plain
     * worker's {@code /two//x} (the kit's scenario map.balancer-no-double-slash shows httpd 2.4.71 doing so,
     * although spec section 12 item 2 says otherwise). A remainder that does not start with '/' after a
     * target without a path runs into the name or authority; {@link #gluedToName} says so.
     */
    public BackendTarget append(String remainder) {
        return withPath(path + remainder);
    }

    /**
     * Whether this request target's path runs into the balancer name or the worker's authority (it does not
     * start with '/'): {@code ProxyPass / balancer://foo} makes {@code balancer://fooname/r} of
     * {@code /name/r}, a balancer httpd does not know, and a {@code $1} that starts without '/' does the same.
     */
    public boolean gluedToName() {
        return !path.isEmpty() && path.charAt(0) != '/';
    }

    /**
     * The request target to send (without the query) to a worker whose own URL path is {@code memberPath}
     * ({@code ""} for a direct worker, whose path this target already holds): the two glued as they are, as
     * httpd does ({@code http://b/} under {@code balancer://foo/} gets {@code //x}), and {@code /} when both
     * are empty, as httpd sends a URL without a path.
     */
    public String pathOn(String memberPath) {
        String joined = memberPath + path;
        return joined.isEmpty() ? "/" : joined;
    }

    /** The target as a URL: {@code balancer://name/path} or {@code http://host:port/path}. */
    public String url() {
        return (isBalancer() ? BALANCER_SCHEME + balancer : origin) + path;
    }

    @Override
    public String toString() {
        return url();
    }
}
