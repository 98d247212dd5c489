package org.portico.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import javax.management.JMException;
import org.portico.backend.BackendProtocols;
import org.portico.balancer.LbMethods;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.manager.BalancerPersist;
import org.portico.metrics.DeploymentMetrics;
import org.portico.proxy.Gateway;
import org.portico.proxy.LiveGateway;
import org.portico.proxy.ProxyServlet;
import org.portico.reload.DescriptorReload;
import org.portico.reload.ReloadSettings;
import org.portico.shared.SharedSync;
import org.portico.shared.StoreAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops Portico with the web app: loads and validates the descriptor, builds the
 * {@link Gateway} (held by a {@link LiveGateway}, which descriptor reloads swap), sets up the reload
 * ({@link DescriptorReload}), and fails the deployment when the descriptor or a setting is unusable, naming
 * file, line, column and problem.
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
            BackendProtocols protocols;
            try {
                protocols = BackendIo.protocols(context);
            } catch (IllegalArgumentException e) {
                fail(context, "Portico did not start: " + e.getMessage(), e);
                return;
            }
            Gateway gateway = new Gateway(descriptor, LbMethods.discover(context.getClassLoader()), protocols);
            gateway.warmUp();
            LiveGateway live = new LiveGateway(gateway);
            DescriptorReload reload;
            try {
                ReloadSettings reloadSettings = ReloadSettings.from(name -> {
                    String v = System.getProperty(name);
                    return v != null ? v : context.getInitParameter(name);
                });
                // the balancer-manager's saved state (BalancerPersist), before the first request
                BalancerPersist.atStartup(context, live);
                shared(context, live);
                reload = new DescriptorReload(live, new DescriptorReload.Source() {
                    @Override
                    public Descriptor load() throws DescriptorException {
                        return DescriptorLocation.load(context, location);
                    }

                    @Override
                    public java.nio.file.Path file() {
                        return DescriptorLocation.file(context, location);
                    }
                }, reloadSettings);
            } catch (RuntimeException e) {
                if (context.getAttribute(SharedSync.ATTRIBUTE) instanceof SharedSync sync) {
                    sync.close();
                }
                live.close();
                fail(context, "Portico did not start: " + e.getMessage(), e);
                return;
            }
            context.setAttribute(ProxyServlet.GATEWAY, live);
            context.setAttribute(DescriptorReload.ATTRIBUTE, reload);
            gateway.startHealthChecks();
            DeploymentMetrics metrics = metrics(context, live);
            context.setAttribute(DeploymentMetrics.ATTRIBUTE, metrics);
            live.onSwap(metrics::attach); // each reloaded generation is measured from its first request
            if (context.getAttribute(SharedSync.ATTRIBUTE) instanceof SharedSync sync) {
                metrics.follow(sync);
            }
            reload.start();
            LOG.info("Portico started from {}: {} pass rule(s), {} balancer(s); descriptor reload: {}", descriptor.source(),
                    descriptor.passes().size(), descriptor.balancers().size(), reload.settings().mode());
        } catch (DescriptorException e) {
            fail(context, "Portico descriptor error: " + e.getMessage(), e);
        }
    }

    /**
     * With {@code portico.shared-state}: the store's client, started on the state just restored (the snapshot or the
     * descriptor), which then follows the store; every applied change is written to the snapshot file.
     */
    private static void shared(ServletContext context, LiveGateway live) {
        String value = System.getProperty(SharedSync.PARAM, context.getInitParameter(SharedSync.PARAM));
        if (value == null || value.isBlank()) {
            return;
        }
        StoreAddress address;
        try {
            address = StoreAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SharedSync.PARAM + ": " + e.getMessage(), e);
        }
        SharedSync sync = SharedSync.start(address, live, context.getClassLoader());
        BalancerPersist.follow(context, sync);
        context.setAttribute(SharedSync.ATTRIBUTE, sync);
    }

    /** The deployment's metrics and MXBeans; the platform MBeanServer refusing them fails the deployment. */
    private static DeploymentMetrics metrics(ServletContext context, LiveGateway live) {
        try {
            return DeploymentMetrics.start(context.getContextPath(), live.current());
        } catch (JMException | RuntimeException e) {
            live.close();
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
        ServletContext context = event.getServletContext();
        // the MXBeans first: the platform MBeanServer outlives the web app and would hold its class loader
        if (context.getAttribute(DeploymentMetrics.ATTRIBUTE) instanceof DeploymentMetrics metrics) {
            metrics.close();
        }
        context.removeAttribute(DeploymentMetrics.ATTRIBUTE);
        if (context.getAttribute(DescriptorReload.ATTRIBUTE) instanceof DescriptorReload reload) {
            reload.close(); // first: no reload may build a generation while the proxy shuts down
        }
        if (context.getAttribute(SharedSync.ATTRIBUTE) instanceof SharedSync sync) {
            sync.close(); // before the proxy: no change from the store may land on a closing generation
        }
        context.removeAttribute(SharedSync.ATTRIBUTE);
        if (context.getAttribute(ProxyServlet.GATEWAY) instanceof LiveGateway live) {
            live.close();
        }
        context.removeAttribute(DescriptorReload.ATTRIBUTE);
        context.removeAttribute(ProxyServlet.GATEWAY);
    }
}
