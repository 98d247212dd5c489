package org.portico.shared;

import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.config.StatusFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health half of the shared state: each instance puts what it observes of each member on an ephemeral key when
 * that changes, and with an error quorum k a member that k other instances report in error is marked in error here
 * too (and leaves that state by the usual retry, to be marked again while the reports last). Stateless.
 */
final class HealthReports {

    private static final Logger LOG = LoggerFactory.getLogger(HealthReports.class);

    private HealthReports() {
    }

    static HealthReport observe(Worker w, long nowMillis) {
        boolean error = w.has(StatusFlag.IN_ERROR) || w.has(StatusFlag.HC_FAIL);
        return new HealthReport(error, w.statusString(), nowMillis);
    }

    /** Puts {@code w}'s observation when it differs from the one put last. */
    static void publish(SharedSync sync, Balancer b, Worker w, long nowMillis) throws StoreUnavailableException {
        String key = sync.keys().health(b.name(), w.name(), sync.instance());
        HealthReport now = observe(w, nowMillis);
        HealthReport last = sync.published().get(key);
        if (last != null && last.error() == now.error() && last.status().equals(now.status())) {
            return;
        }
        sync.store().putEphemeral(key, Intents.json(now));
        sync.published().put(key, now);
    }

    static void honour(ClusterView cluster, Balancer b, Worker w, String self, int quorum, long nowMillis) {
        if (w.has(StatusFlag.IN_ERROR) || w.has(StatusFlag.IGNORE_ERRORS)) {
            return;
        }
        int reports = cluster.errorReports(b.name(), w.name(), self);
        if (reports >= quorum) {
            w.markError(nowMillis);
            LOG.warn("{} {}: in error here too, {} other instance(s) report it so (error-quorum {})", b.config().url(),
                    w.name(), reports, quorum);
        }
    }
}
