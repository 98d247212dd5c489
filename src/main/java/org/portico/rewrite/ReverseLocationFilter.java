package org.portico.rewrite;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.proxy.Gateway;

/**
 * ProxyPassReverse on the {@code Location}, {@code Content-Location}, {@code URI} and
 * {@code Destination} response headers, and RFC 1123 normalisation of {@code Date}, {@code Expires}
 * and {@code Last-Modified} (spec §3.2, §9 response item 5). Each header occurrence is rewritten as
 * the proxy sets it.
 */
public final class ReverseLocationFilter extends ResponseRewriteFilter {

    private static final String[] URL_HEADERS = {"Location", "Content-Location", "URI", "Destination"};
    private static final String[] DATE_HEADERS = {"Date", "Expires", "Last-Modified"};

    private volatile ReverseMap map;

    @Override
    void configure(Gateway gateway, String contextPath) {
        // members the balancer-manager adds at run time are mapped back too
        map = ReverseMap.of(gateway.descriptor(), name -> {
            Balancer b = gateway.balancer(name);
            return b == null ? List.of() : b.members().stream().map(Worker::config).toList();
        });
    }

    @Override
    boolean rewrites() {
        return true; // dates are normalised even without reverse rules, as httpd does
    }

    @Override
    HttpServletResponse wrap(HttpServletRequest c2p, HttpServletResponse p2c) {
        return new Response(p2c, map, c2p);
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
    static final class Response extends RewritingResponse {

        private final ReverseMap map;
        private final HttpServletRequest c2p;
        private String front;

        Response(HttpServletResponse p2c, ReverseMap map, HttpServletRequest c2p) {
            super(p2c);
            this.map = map;
            this.c2p = c2p;
        }

        @Override
        String rewrite(String name, String value) {
            if (isOneOf(name, URL_HEADERS)) {
                if (front == null) {
                    front = front(c2p); // only when a URL header appears: most responses have none
                }
                return map.map(value, front);
            }
            return isOneOf(name, DATE_HEADERS) ? HttpDates.normalise(value) : value;
        }

        private static boolean isOneOf(String name, String[] names) {
            for (String n : names) {
                if (n.equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }
    }
}
