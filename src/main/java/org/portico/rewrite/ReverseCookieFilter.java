package org.portico.rewrite;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.portico.proxy.Gateway;

/**
 * ProxyPassReverseCookieDomain and ProxyPassReverseCookiePath on every {@code Set-Cookie} response
 * header (spec §3.3): each header is rewritten on its own as the proxy sets it.
 */
public final class ReverseCookieFilter extends ResponseRewriteFilter {

    private volatile CookieRewriter cookies;

    @Override
    void configure(Gateway gateway, String contextPath) {
        cookies = CookieRewriter.of(gateway.descriptor(), contextPath);
    }

    @Override
    boolean rewrites() {
        return !cookies.isEmpty();
    }

    @Override
    HttpServletResponse wrap(HttpServletRequest c2p, HttpServletResponse p2c) {
        return new Response(p2c, cookies);
    }

    /** The client response as the proxy sees it: Set-Cookie paths and domains mapped back. */
    static final class Response extends RewritingResponse {

        private final CookieRewriter cookies;

        Response(HttpServletResponse p2c, CookieRewriter cookies) {
            super(p2c);
            this.cookies = cookies;
        }

        @Override
        String rewrite(String name, String value) {
            return "Set-Cookie".equalsIgnoreCase(name) ? cookies.rewrite(value) : value;
        }
    }
}
