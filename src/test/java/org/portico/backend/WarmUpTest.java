package org.portico.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;
import org.portico.testkit.Poll;

class WarmUpTest {

    private static final ProxySettings SETTINGS = ProxySettings.defaults();

    @Test
    void runsItsExchangesThroughAChannelLikeTheFirstHttpWorkersAndLeavesNoThreadBehind() throws Exception {
        // the workers are only a model: nothing answers on port 9, so completed exchanges went to the loopback answerer
        List<WorkerConfig> workers = List.of(
                WorkerConfig.of("ajp://127.0.0.1:9", WorkerParams.defaults(), null),
                WorkerConfig.of("http://127.0.0.1:9", WorkerParams.defaults(), null));
        try (BackendProtocols protocols = new BackendProtocols()) {
            assertEquals(WarmUp.EXCHANGES, WarmUp.run(protocols, workers, SETTINGS));
        }
        Poll.until(Duration.ofSeconds(10), WarmUpTest::warmUpThreads, List::isEmpty);
    }

    @Test
    void doesNothingWithoutAnHttpWorker() {
        try (BackendProtocols protocols = new BackendProtocols()) {
            assertEquals(0, WarmUp.run(protocols, List.of(WorkerConfig.of("h2c://127.0.0.1:9", WorkerParams.defaults(), null)),
                    SETTINGS));
        }
        assertTrue(warmUpThreads().isEmpty());
    }

    private static List<String> warmUpThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("portico-warm-up")).toList();
    }
}
