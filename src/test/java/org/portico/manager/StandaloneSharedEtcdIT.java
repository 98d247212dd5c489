package org.portico.manager;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.portico.testkit.EtcdServer;

/** {@link SharedStateScenarios} on a real etcd (Debian's etcd-server) and three standalone jars. */
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
