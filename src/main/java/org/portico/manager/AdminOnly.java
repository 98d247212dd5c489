package org.portico.manager;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's own check that its caller holds {@link #ROLE}, behind the container's security constraint.
 *
 * <p>Why both: a constraint matches the URL pattern against the path as the container normalises it,
 * while the servlet is chosen by a decoded form of it. Where the two differ (Jetty's LEGACY URI compliance
 * sent {@code /balancer-manager%2f} to this servlet past the constraint on {@code /balancer-manager/*}),
 * the constraint alone let anyone in. Here no spelling of the path matters: every request reaching the
 * servlet is authenticated through the container's login configuration (its realm and BASIC challenge)
 * and must hold the role. Stateless; thread-safe.
 */
public final class AdminOnly {

    /** The role web.xml's constraint names; the servlet demands the same. */
    static final String ROLE = "portico-admin";
    /**
     * web.xml's login-config realm. Jetty answers {@code authenticate()} outside a constraint with a bare
     * 401, so the BASIC challenge is set here first; Tomcat replaces it with its own, which is the same.
     */
    static final String CHALLENGE = "Basic realm=\"portico\"";

    private static final Logger LOG = LoggerFactory.getLogger(AdminOnly.class);

    private AdminOnly() {
    }

    /**
     * The same check for another servlet under {@code /balancer-manager} (its metrics), with the manager's
     * {@code portico.manager-allow} read from the request's context.
     */
    public static boolean admits(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        return admits(req, resp, ManagerSettings.from(req.getServletContext()).allow());
    }

    /**
     * Whether the request may go on. When not, the response has been sent: 403 for an address outside
     * {@code allow} (null: any address), the container's challenge (401) for a caller without credentials,
     * or 403 for a user without the role.
     */
    static boolean admits(HttpServletRequest req, HttpServletResponse resp, AddressAllowList allow) throws IOException {
        if (allow != null && !allow.allows(req.getRemoteAddr())) {
            LOG.warn("balancer-manager: refused {} {} from {}: not in {} ({})", req.getMethod(), req.getRequestURI(),
                    req.getRemoteAddr(), ManagerSettings.ALLOW, allow);
            resp.sendError(HttpServletResponse.SC_FORBIDDEN);
            return false;
        }
        if (req.isUserInRole(ROLE)) {
            return true;
        }
        if (req.getUserPrincipal() == null) {
            boolean authenticated;
            resp.setHeader("WWW-Authenticate", CHALLENGE);
            try {
                authenticated = req.authenticate(resp);
            } catch (ServletException e) {
                authenticated = false;
            }
            if (!authenticated) {
                LOG.warn("balancer-manager: refused {} {} from {}: no credentials (the container's constraint did not "
                        + "ask for them on this spelling of the path)", req.getMethod(), req.getRequestURI(), req.getRemoteAddr());
                if (!resp.isCommitted() && resp.getStatus() != HttpServletResponse.SC_UNAUTHORIZED) {
                    resp.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                }
                return false;
            }
            resp.setHeader("WWW-Authenticate", null);
            if (req.isUserInRole(ROLE)) {
                return true;
            }
        }
        LOG.warn("balancer-manager: refused {} {} to {}: not in role {}", req.getMethod(), req.getRequestURI(),
                req.getRemoteUser(), ROLE);
        resp.sendError(HttpServletResponse.SC_FORBIDDEN);
        return false;
    }
}
