package org.portico.rewrite;

import java.util.ArrayList;
import java.util.List;
import org.portico.config.CookieRewrite;
import org.portico.config.Descriptor;

/**
 * ProxyPassReverseCookieDomain and ProxyPassReverseCookiePath applied to one {@code Set-Cookie}
 * value ({@code ap_proxy_cookie_reverse_map}, spec §3.3, §12.9). Only the value of a matching
 * {@code path=} or {@code domain=} attribute changes; every other byte of the header is kept.
 * Immutable; safe from any thread.
 */
public final class CookieRewriter {

    private final List<CookieRewrite> paths;
    private final List<CookieRewrite> domains;

    private CookieRewriter(List<CookieRewrite> paths, List<CookieRewrite> domains) {
        this.paths = List.copyOf(paths);
        this.domains = List.copyOf(domains);
    }

    /**
     * The cookie rules of {@code descriptor} for a web app deployed at {@code contextPath} ("" at ROOT).
     *
     * <p>httpd uses a path rule's public value as written. Portico also puts the web app's context
     * path in front of it when that value is a path ("/..."), because descriptor paths are relative
     * to the context path everywhere else: deployed at /gateway, {@code from="/" to="/app/"} sets
     * {@code path=/gateway/app/}, the path the browser actually requests. At ROOT nothing is added.
     * A value that does not start with '/' is used as written.
     *
     * @throws IllegalArgumentException when a rule holds a control character
     */
    public static CookieRewriter of(Descriptor descriptor, String contextPath) {
        List<CookieRewrite> paths = new ArrayList<>();
        for (CookieRewrite r : descriptor.cookiePaths()) {
            check(r, "reverse-cookie-path");
            paths.add(r.to().startsWith("/") ? new CookieRewrite(r.from(), contextPath + r.to()) : r);
        }
        for (CookieRewrite r : descriptor.cookieDomains()) {
            check(r, "reverse-cookie-domain");
        }
        return new CookieRewriter(paths, descriptor.cookieDomains());
    }

    private static void check(CookieRewrite r, String element) {
        if (HeaderText.hasControls(r.from()) || HeaderText.hasControls(r.to())) {
            throw new IllegalArgumentException(element + " from='" + HeaderText.withoutControls(r.from()) + "' to='"
                    + HeaderText.withoutControls(r.to()) + "': holds a control character (CR, LF, ...)");
        }
    }

    public boolean isEmpty() {
        return paths.isEmpty() && domains.isEmpty();
    }

    /**
     * The {@code Set-Cookie} value with its path and domain mapped, or {@code header} itself when no
     * rule applies. The value is split on ';' and each token's leading spaces and tabs are skipped;
     * a token starting with {@code path=} or {@code domain=} (any case) is a candidate, the first
     * token (the cookie's own name=value) included, and {@code fakepath=} is not. When an attribute
     * appears more than once, the last one counts (httpd 2.4.71, §12.9). Path rules match by
     * case-sensitive prefix, domain rules by case-insensitive prefix; the first matching rule
     * replaces the whole value. Spaces before the next ';' stay where they were.
     */
    public String rewrite(String header) {
        if (isEmpty()) {
            return header;
        }
        int pathStart = -1;
        int pathEnd = -1;
        int domainStart = -1;
        int domainEnd = -1;
        int n = header.length();
        for (int i = 0; i <= n; ) {
            int end = header.indexOf(';', i);
            if (end < 0) {
                end = n;
            }
            int t = i;
            while (t < end && (header.charAt(t) == ' ' || header.charAt(t) == '\t')) {
                t++;
            }
            if (header.regionMatches(true, t, "path=", 0, 5)) {
                pathStart = t + 5;
                pathEnd = trimmedEnd(header, pathStart, end);
            } else if (header.regionMatches(true, t, "domain=", 0, 7)) {
                domainStart = t + 7;
                domainEnd = trimmedEnd(header, domainStart, end);
            }
            i = end + 1;
        }
        String newPath = pathStart < 0 ? null : mapPath(header.substring(pathStart, pathEnd));
        String newDomain = domainStart < 0 ? null : mapDomain(header.substring(domainStart, domainEnd));
        if (newPath == null && newDomain == null) {
            return header;
        }
        StringBuilder b = new StringBuilder(n + 32);
        if (newPath != null && newDomain != null) {
            boolean pathFirst = pathStart < domainStart;
            int s1 = pathFirst ? pathStart : domainStart;
            int e1 = pathFirst ? pathEnd : domainEnd;
            int s2 = pathFirst ? domainStart : pathStart;
            int e2 = pathFirst ? domainEnd : pathEnd;
            b.append(header, 0, s1).append(pathFirst ? newPath : newDomain).append(header, e1, s2)
                    .append(pathFirst ? newDomain : newPath).append(header, e2, n);
        } else if (newPath != null) {
            b.append(header, 0, pathStart).append(newPath).append(header, pathEnd, n);
        } else {
            b.append(header, 0, domainStart).append(newDomain).append(header, domainEnd, n);
        }
        return HeaderText.withoutControls(b.toString());
    }

    private String mapPath(String value) {
        for (CookieRewrite r : paths) {
            if (value.startsWith(r.from())) {
                return r.to();
            }
        }
        return null;
    }

    private String mapDomain(String value) {
        for (CookieRewrite r : domains) {
            if (value.regionMatches(true, 0, r.from(), 0, r.from().length())) {
                return r.to();
            }
        }
        return null;
    }

    /** Where a token's value ends once the spaces and tabs before its ';' are left out. */
    private static int trimmedEnd(String s, int start, int end) {
        int e = end;
        while (e > start && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return e;
    }
}
