package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.portico.testkit.EtcdServer;
import org.portico.testkit.Poll;
import org.portico.testkit.TcpRelay;

/**
 * {@link SharedStateScenarios} on a real etcd (Debian's etcd-server) and three standalone jars; and etcd's own case,
 * a compaction while one instance is cut off, after which that instance reads everything again.
 */
class StandaloneSharedEtcdIT extends SharedStateScenarios {

    private static EtcdServer etcd;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdServer.start();
        cluster = new SharedCluster("etcd://" + etcd.endpoint() + "/portico-it", Path.of("target", "portico-shared-etcd.jar"));
        cluster.start("A", "B", "C");
        awaitConnected("A", "B", "C");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    @Order(6)
    void anInstanceCutOffWhileTheStoreCompactsReadsEverythingAgainOnReconnect() throws Exception {
        String w = cluster.member(1);
        int port = Integer.parseInt(etcd.endpoint().substring(etcd.endpoint().lastIndexOf(':') + 1));
        try (TcpRelay relay = TcpRelay.to("127.0.0.1", port)) {
            cluster.startVia("E", "etcd://127.0.0.1:" + relay.port() + "/portico-it");
            awaitConnected("E");
            relay.cut();
            Poll.until(Duration.ofSeconds(30), () -> SharedCluster.shared(cluster.admin("E")).get("connected"),
                    Boolean.FALSE::equals);
            for (String lf : List.of("11", "12", "13")) {
                ManagerClient a = cluster.admin("A");
                assertEquals(200, a.post("b", "web", "w", w, "nonce", a.nonce("web"), "w_lf", lf).statusCode());
            }
            etcd.compact(); // E's watch revision is gone from the history
            assertEquals(Boolean.FALSE, SharedCluster.shared(cluster.admin("E")).get("connected"));
            relay.restore();
            awaitConnected("E");
            Poll.until(Duration.ofSeconds(10), () -> SharedCluster.loadfactor(cluster.admin("E"), w), v -> v == 13);
        } finally {
            if (cluster.processes.containsKey("E")) {
                cluster.kill("E");
            }
        }
    }

    @Override
    String engine() {
        return "etcd";
    }

    @Override
    void stopStore() throws Exception {
        etcd.stop();
    }

    @Override
    void restartStore() throws Exception {
        etcd.restart();
    }
}
