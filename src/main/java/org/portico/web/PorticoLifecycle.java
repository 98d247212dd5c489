package org.portico.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import javax.management.JMException;
import org.portico.balancer.LbMethods;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.manager.BalancerPersist;
import org.portico.metrics.DeploymentMetrics;
import org.portico.proxy.Gateway;
import org.portico.proxy.ProxyServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops Portico with the web app: loads and validates the descriptor, builds the
 * {@link Gateway}, and fails the deployment when the descriptor is unusable, naming file, line,
 * column and problem.
 */
public final class PorticoLifecycle implements ServletContextListener {

    private static final Logger LOG = LoggerFactory.getLogger(PorticoLifecycle.class);

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        String location = DescriptorLocation.choose(context, System::getenv);
        if (location == null) {
            fail(context, "Portico did not start: " + DescriptorLocation.MISSING, null);
        }
        try {
            Descriptor descriptor = DescriptorLocation.load(context, location);
            for (String warning : descriptor.warnings()) {
                LOG.warn(warning);
            }
            Gateway gateway = new Gateway(descriptor, LbMethods.discover(context.getClassLoader()));
            try {
                // the balancer-manager's saved state (BalancerPersist), before the first request
                BalancerPersist.atStartup(context, gateway);
            } catch (RuntimeException e) {
                gateway.close();
                throw e;
            }
            context.setAttribute(ProxyServlet.GATEWAY, gateway);
            gateway.startHealthChecks();
            context.setAttribute(DeploymentMetrics.ATTRIBUTE, metrics(context, gateway));
            LOG.info("Portico started from {}: {} pass rule(s), {} balancer(s)", descriptor.source(),
                    descriptor.passes().size(), descriptor.balancers().size());
        } catch (DescriptorException e) {
            fail(context, "Portico descriptor error: " + e.getMessage(), e);
        }
    }

    /** The deployment's metrics and MXBeans; the platform MBeanServer refusing them fails the deployment. */
    private static DeploymentMetrics metrics(ServletContext context, Gateway gateway) {
        try {
            return DeploymentMetrics.start(context.getContextPath(), gateway);
        } catch (JMException | RuntimeException e) {
            gateway.close();
            fail(context, "Portico did not start: its MXBeans could not be registered: " + e, e);
            return null;
        }
    }

    /**
     * Fails the deployment with one line in Portico's log and the container's own (Tomcat shows the servlet
     * context's log where the exception's trace is not).
     */
    private static void fail(ServletContext context, String message, Exception cause) {
        LOG.error(message);
        context.log(message);
        throw new IllegalStateException(message, cause);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        // the MXBeans first: the platform MBeanServer outlives the web app and would hold its class loader
        if (event.getServletContext().getAttribute(DeploymentMetrics.ATTRIBUTE) instanceof DeploymentMetrics metrics) {
            metrics.close();
        }
        event.getServletContext().removeAttribute(DeploymentMetrics.ATTRIBUTE);
        Object gateway = event.getServletContext().getAttribute(ProxyServlet.GATEWAY);
        if (gateway instanceof Gateway) {
            ((Gateway) gateway).close();
        }
        event.getServletContext().removeAttribute(ProxyServlet.GATEWAY);
    }
}
