package org.portico.metrics;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.portico.manager.AdminOnly;

/**
 * {@code /balancer-manager/metrics}: the deployment's {@link DeploymentMetrics} in Prometheus's text format,
 * for role portico-admin only. web.xml's constraint on {@code /balancer-manager/*} asks for the credentials;
 * this servlet checks them again ({@link AdminOnly}), as the manager does, whatever the container matched.
 */
public final class MetricsServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (AdminOnly.admits(req, resp)) {
            super.service(req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object metrics = getServletContext().getAttribute(DeploymentMetrics.ATTRIBUTE);
        if (!(metrics instanceof DeploymentMetrics m)) {
            resp.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        resp.setContentType(m.contentType());
        resp.setHeader("Cache-Control", "no-store");
        m.scrape(resp.getOutputStream());
    }
}
