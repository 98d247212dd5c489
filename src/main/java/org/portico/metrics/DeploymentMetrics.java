package org.portico.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import javax.management.JMException;
import javax.management.ObjectName;
import org.portico.proxy.Gateway;
import org.portico.shared.SharedSync;

/**
 * One deployment's metrics: its own Prometheus registry (never the JVM-wide default, so two deployments in
 * one JVM keep theirs apart), the exchange counts, the scrape-time series and the MXBeans. Made at start-up
 * for the gateway, {@link #attach}ed to a new one when the descriptor is swapped, and {@link #close}d when
 * the web app stops. Thread-safe.
 */
public final class DeploymentMetrics implements AutoCloseable {

    /** The servlet context attribute under which {@link MetricsServlet} finds it. */
    public static final String ATTRIBUTE = DeploymentMetrics.class.getName();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final ExchangeRecorder recorder;
    /** Null only while the constructor runs. */
    private volatile JmxBeans jmx;
    private volatile Gateway gateway;

    private DeploymentMetrics(String contextPath, Gateway gateway) throws JMException {
        this.gateway = gateway;
        this.recorder = new ExchangeRecorder(registry, this::memberAppeared);
        MemberSeries.register(registry, this::gateway, recorder);
        this.jmx = JmxBeans.register(contextPath, this::gateway, recorder);
        recorder.attach(gateway);
    }

    /**
     * Starts counting {@code gateway}'s exchanges and registers its MXBeans.
     *
     * @param contextPath the web app's context path ("" for the root), which the MXBeans' names carry
     * @throws JMException when the platform MBeanServer refuses the beans
     */
    public static DeploymentMetrics start(String contextPath, Gateway gateway) throws JMException {
        return new DeploymentMetrics(contextPath, gateway);
    }

    private Gateway gateway() {
        return gateway;
    }

    /** A member had its first exchange: one the manager added has its MXBean from now on. */
    private void memberAppeared() {
        JmxBeans j = jmx;
        if (j != null) {
            j.sync();
        }
    }

    /** Moves to {@code newGateway} (a swapped descriptor): members that stayed keep their counts. */
    public void attach(Gateway newGateway) {
        gateway = newGateway;
        recorder.attach(newGateway);
        jmx.sync();
    }

    /** Adds the shared state's series (store connection, staleness, propagation lag). */
    public void follow(SharedSync sync) {
        SharedStateSeries.register(registry, sync);
    }

    /** Writes every series in Prometheus's text format. */
    void scrape(OutputStream out) throws IOException {
        jmx.sync(); // a member the manager added and nobody used yet
        writer.write(out, registry.scrape());
    }

    String contentType() {
        return writer.getContentType();
    }

    /** The name of this deployment's Deployment MXBean; the others share its keys. */
    ObjectName objectName() {
        return jmx.deploymentName();
    }

    /** Stops counting and unregisters the MXBeans. */
    @Override
    public void close() {
        gateway.listenToExchanges(null);
        jmx.close();
    }
}
