package org.portico.shared;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Worker;
import org.portico.config.DescriptorLoader;
import org.portico.config.StatusFlag;
import org.portico.proxy.Gateway;
import org.portico.proxy.LiveGateway;
import org.portico.testkit.Poll;

/**
 * The health half: each instance publishes what it observes of each member, and routes by its own view unless an
 * error quorum is set, when enough other instances reporting a member in error put it in error here too.
 */
class HealthReportsTest {

    private static final String M1 = "http://127.0.0.1:9";
    private LiveGateway live;
    private SharedSync sync;
    private MemoryStore store;

    private void start(String params) throws Exception {
        String xml = """
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web"><member url="http://127.0.0.1:9"/><member url="http://127.0.0.1:10"/></balancer>
                </portico>
                """;
        live = new LiveGateway(new Gateway(DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(
                StandardCharsets.UTF_8)), "test.xml", null), LbMethods.discover(getClass().getClassLoader())));
        store = new MemoryStore();
        sync = SharedSync.start(StoreAddress.parse("etcd://127.0.0.1:1/t?instance=me" + params), store, live);
    }

    @AfterEach
    void stop() {
        sync.close();
        live.close();
    }

    private Worker m1() {
        return live.current().balancer("web").member(M1);
    }

    private void othersReportError(String... instances) {
        for (String i : instances) {
            store.put(sync.keys().health("web", M1, i), Intents.json(new HealthReport(true, "Err ", 1)));
        }
    }

    @Test
    void eachInstancePublishesWhatItObservesAndItsChanges() throws Exception {
        start("");
        Poll.until(Duration.ofSeconds(10), () -> sync.cluster().observations("web", M1), m -> m.containsKey("me"));
        assertFalse(sync.cluster().observations("web", M1).get("me").error());
        assertTrue(sync.cluster().instances().containsKey("me"));
        m1().markError(System.currentTimeMillis());
        Poll.until(Duration.ofSeconds(10), () -> sync.cluster().observations("web", M1).get("me").error(),
                Boolean.TRUE::equals);
    }

    @Test
    void withoutAQuorumOthersReportsDoNotChangeRoutingHere() throws Exception {
        start("");
        othersReportError("b", "c");
        Poll.until(Duration.ofSeconds(10), () -> sync.cluster().errorReports("web", M1, "me"), n -> n == 2);
        sync.tick(); // what the health tick does each second, run here
        assertTrue(m1().usable(), "each instance routes by its own view");
    }

    @Test
    void withErrorQuorumTwoAMemberTwoOthersReportInErrorIsInErrorHere() throws Exception {
        start("&error-quorum=2");
        othersReportError("b");
        Poll.until(Duration.ofSeconds(10), () -> sync.cluster().errorReports("web", M1, "me"), n -> n == 1);
        sync.tick();
        assertTrue(m1().usable(), "one report is below the quorum");
        othersReportError("c");
        Poll.until(Duration.ofSeconds(10), () -> sync.cluster().errorReports("web", M1, "me"), n -> n == 2);
        sync.tick();
        assertTrue(m1().has(StatusFlag.IN_ERROR), "two other instances report it in error");
        assertTrue(live.current().balancer("web").member("http://127.0.0.1:10").usable(), "the other member is not");
    }
}
