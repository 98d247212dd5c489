package org.portico.shared;

import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.portico.testkit.TomcatContext;

/** Tomcat with the ZooKeeper engine: {@code portico-shared-zk.jar} in WEB-INF/lib, curator-test's ZooKeeper. */
class TomcatSharedZkIT extends ContainerSharedState {

    /** ZooKeeper in this JVM, reached with a Curator client of the test's own. */
    static final class Zk implements StoreAccess {

        private final TestingServer server;
        private final CuratorFramework client;

        Zk() throws Exception {
            server = new TestingServer(true);
            client = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
            client.start();
        }

        @Override
        public String address() {
            return "zk://" + server.getConnectString() + PREFIX + "?instance=war";
        }

        @Override
        public void put(String key, String value) throws Exception {
            client.create().orSetData().creatingParentsIfNeeded().forPath(key, value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String get(String key) throws Exception {
            return new String(client.getData().forPath(key), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            client.close();
            server.close();
        }
    }

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        String[] p = new String[2];
        WebArchive war = warWithEngine(new Zk(), "target/portico-shared-zk.jar", p);
        return TomcatContext.withRealm(war, "portico.descriptor", p[0], "portico.shared-state", p[1]);
    }
}
