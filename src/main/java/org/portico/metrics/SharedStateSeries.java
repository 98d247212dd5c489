package org.portico.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.portico.shared.SharedSync;

/**
 * The shared state's series: whether the store answers, how long the state may have been stale, and the propagation
 * lag of each change applied from the store (from the writing instance's clock to this one's: across hosts, as good
 * as their clocks agree). Registered once when shared state is on. Stateless.
 */
final class SharedStateSeries {

    private SharedStateSeries() {
    }

    static void register(PrometheusRegistry registry, SharedSync sync) {
        String store = sync.address().toString();
        GaugeWithCallback.builder().name("portico_shared_state_connected")
                .help("1 while the shared-state store answers, 0 while this instance runs on its last applied state")
                .labelNames("store", "instance")
                .callback(cb -> cb.call(sync.connected() ? 1 : 0, store, sync.instance()))
                .register(registry);
        GaugeWithCallback.builder().name("portico_shared_state_stale_seconds")
                .help("How long the store has been unreachable (0 while connected)")
                .labelNames("store", "instance")
                .callback(cb -> {
                    long since = sync.staleSinceMillis();
                    cb.call(since == 0 ? 0 : (System.currentTimeMillis() - since) / 1000.0, store, sync.instance());
                })
                .register(registry);
        Histogram lag = Histogram.builder().name("portico_shared_state_propagation_seconds")
                .help("From a manager edit's write on any instance to its application here, per change applied")
                .classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10)
                .register(registry);
        sync.observeLag(millis -> lag.observe(millis / 1000.0));
    }
}
