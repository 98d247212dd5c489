package org.portico.manager;

import java.nio.file.Path;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link SharedStateScenarios} on ZooKeeper (curator-test's in-JVM server on loopback) and three standalone jars. */
class StandaloneSharedZkIT extends SharedStateScenarios {

    private static TestingServer zk;

    @BeforeAll
    static void start() throws Exception {
        zk = new TestingServer(true);
        cluster = new SharedCluster("zk://127.0.0.1:" + zk.getPort() + "/portico-it", Path.of("target", "portico-shared-zk.jar"));
        cluster.start("A", "B", "C");
        awaitConnected("A", "B", "C");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    @Override
    String engine() {
        return "ZooKeeper";
    }

    @Override
    void stopStore() throws Exception {
        zk.stop();
    }

    @Override
    void restartStore() throws Exception {
        zk.restart();
    }
}
