package org.portico.rewrite;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.Locale;
import java.util.Set;
import org.portico.config.Descriptor;

/**
 * ProxyPassReverse on the {@code Location}, {@code Content-Location}, {@code URI} and
 * {@code Destination} response headers, and RFC 1123 normalisation of {@code Date}, {@code Expires}
 * and {@code Last-Modified} (spec §3.2, §9 response item 5). Each header occurrence is rewritten as
 * the proxy sets it.
 */
public final class ReverseLocationFilter extends ResponseRewriteFilter {

    private static final Set<String> URL_HEADERS = Set.of("location", "content-location", "uri", "destination");
    private static final Set<String> DATE_HEADERS = Set.of("date", "expires", "last-modified");

    private volatile ReverseMap map;

    @Override
    void configure(Descriptor descriptor, String contextPath) {
        map = ReverseMap.of(descriptor);
    }

    @Override
    boolean rewrites() {
        return true; // dates are normalised even without reverse rules, as httpd does
    }

    @Override
    HttpServletResponse wrap(HttpServletRequest c2p, HttpServletResponse p2c) {
        return new Response(p2c, map, front(c2p));
    }

    /**
     * The client-facing URL of the web app: the scheme, host and port the client used (httpd's
     * ap_construct_url with UseCanonicalName Off, default ports left out) and the context path.
     */
    static String front(HttpServletRequest c2p) {
        String scheme = c2p.getScheme().toLowerCase(Locale.ROOT);
        String host = c2p.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal, as some containers give it
        }
        int port = c2p.getServerPort();
        boolean defaultPort = port <= 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return HeaderText.withoutControls(scheme + "://" + host + (defaultPort ? "" : ":" + port) + c2p.getContextPath());
    }

    /** The client response as the proxy sees it: URL headers mapped back, dates normalised. */
    static final class Response extends HttpServletResponseWrapper {

        private final ReverseMap map;
        private final String front;

        Response(HttpServletResponse p2c, ReverseMap map, String front) {
            super(p2c);
            this.map = map;
            this.front = front;
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, rewrite(name, value));
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, rewrite(name, value));
        }

        private String rewrite(String name, String value) {
            if (name == null || value == null) {
                return value;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (URL_HEADERS.contains(lower)) {
                return map.map(value, front);
            }
            if (DATE_HEADERS.contains(lower)) {
                return HttpDates.normalise(value);
            }
            return value;
        }
    }
}
