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
import org.portico.proxy.LiveGateway;
import org.portico.proxy.ProxyServlet;
import org.slf4j.LoggerFactory;

/**
 * What the response-rewriting filters share: their rules are built from the descriptor of the running
 * {@link Gateway}, in {@code init} and again after each descriptor reload (on the first request that sees the
 * new generation), and the balancer-manager's responses are never touched
 * (they are Portico's own, not a backend's). The response is wrapped before the proxy sees it, so
 * the wrapper sees every header the proxy sets, also later, from HttpClient's threads.
 */
abstract class ResponseRewriteFilter implements Filter {

    /** Where the balancer-manager lives inside the web app (see the security constraint in web.xml). */
    static final String MANAGER_PATH = "/balancer-manager";

    private LiveGateway gateways;
    private String contextPath;
    /** The generation the rules were built from. */
    private volatile Gateway builtFrom;

    @Override
    public void init(FilterConfig config) throws ServletException {
        Object gateway = config.getServletContext().getAttribute(ProxyServlet.GATEWAY);
        if (!(gateway instanceof LiveGateway)) {
            // listeners run before filters are initialised, so PorticoLifecycle has failed or is not declared
            throw new ServletException(config.getFilterName() + ": Portico did not start: no gateway in the"
                    + " servlet context attribute " + ProxyServlet.GATEWAY
                    + " (is org.portico.web.PorticoLifecycle a listener of this web app? see the log above)");
        }
        gateways = (LiveGateway) gateway;
        contextPath = config.getServletContext().getContextPath();
        Gateway g = gateways.current();
        try {
            configure(g, contextPath);
        } catch (IllegalArgumentException e) {
            throw new ServletException(config.getFilterName() + ": " + e.getMessage(), e);
        }
        builtFrom = g;
    }

    /** The rules follow a reload: built again from the newest generation's descriptor when it changed. */
    private void follow() {
        Gateway g = gateways.current();
        if (g == builtFrom) {
            return;
        }
        synchronized (this) {
            if (g != builtFrom) {
                try {
                    configure(g, contextPath);
                } catch (IllegalArgumentException e) {
                    LoggerFactory.getLogger(getClass()).error("generation {}: response rewriting keeps its previous rules: {}",
                            g.generation(), e.getMessage());
                }
                builtFrom = g;
            }
        }
    }

    /** Builds the immutable rules from the gateway's descriptor: before any request, and after each reload. */
    abstract void configure(Gateway gateway, String contextPath);

    /** Whether there is anything to rewrite at all; if not, responses are not even wrapped. */
    abstract boolean rewrites();

    /** The response the rest of the chain (the proxy) writes to. */
    abstract HttpServletResponse wrap(HttpServletRequest c2p, HttpServletResponse p2c);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        follow();
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
