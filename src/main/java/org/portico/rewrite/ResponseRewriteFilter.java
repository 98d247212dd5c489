package org.portico.rewrite;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.portico.proxy.Gateway;
import org.portico.proxy.ProxyServlet;

/**
 * What the response-rewriting filters share: their rules are built once, in {@code init}, from the
 * descriptor of the running {@link Gateway}, and the balancer-manager's responses are never touched
 * (they are Portico's own, not a backend's). The response is wrapped before the proxy sees it, so
 * the wrapper sees every header the proxy sets, also later, from HttpClient's threads.
 */
abstract class ResponseRewriteFilter implements Filter {

    /** Where the balancer-manager lives inside the web app (see the security constraint in web.xml). */
    static final String MANAGER_PATH = "/balancer-manager";

    @Override
    public void init(FilterConfig config) throws ServletException {
        Object gateway = config.getServletContext().getAttribute(ProxyServlet.GATEWAY);
        if (!(gateway instanceof Gateway)) {
            // listeners run before filters are initialised, so PorticoLifecycle has failed or is not declared
            throw new ServletException(config.getFilterName() + ": Portico did not start: no gateway in the"
                    + " servlet context attribute " + ProxyServlet.GATEWAY
                    + " (is org.portico.web.PorticoLifecycle a listener of this web app? see the log above)");
        }
        try {
            configure((Gateway) gateway, config.getServletContext().getContextPath());
        } catch (IllegalArgumentException e) {
            throw new ServletException(config.getFilterName() + ": " + e.getMessage(), e);
        }
    }

    /** Builds the immutable rules from the gateway's descriptor; called once, before any request. */
    abstract void configure(Gateway gateway, String contextPath);

    /** Whether there is anything to rewrite at all; if not, responses are not even wrapped. */
    abstract boolean rewrites();

    /** The response the rest of the chain (the proxy) writes to. */
    abstract HttpServletResponse wrap(HttpServletRequest c2p, HttpServletResponse p2c);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (rewrites() && request instanceof HttpServletRequest && response instanceof HttpServletResponse
                && !isManager((HttpServletRequest) request)) {
            chain.doFilter(request, wrap((HttpServletRequest) request, (HttpServletResponse) response));
        } else {
            chain.doFilter(request, response);
        }
    }

    /** Whether the request is for the balancer-manager, judged on the container's decoded, normalised path. */
    static boolean isManager(HttpServletRequest c2p) {
        String servletPath = c2p.getServletPath();
        String pathInfo = c2p.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.equals(MANAGER_PATH) || path.startsWith(MANAGER_PATH + "/");
    }
}
