package org.portico.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Balancer;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Worker;
import org.portico.config.DescriptorLoader;
import org.portico.config.StatusFlag;
import org.portico.proxy.Gateway;
import org.portico.proxy.LiveGateway;

/**
 * {@link SharedSync} on its own, over an in-memory store: what the watch delivers is applied (the writer's own change
 * included), an older version never replaces a newer one, a resync forgets what is gone, and the waits and outages
 * behave as the manager relies on.
 */
class SharedSyncTest {

    private static final String M1 = "http://127.0.0.1:9";
    private MemoryStore store;
    private LiveGateway live;
    private SharedSync sync;

    @BeforeEach
    void start() throws Exception {
        String xml = """
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web" growth="2">
                    <member url="http://127.0.0.1:9" route="r1"/>
                    <member url="http://127.0.0.1:10" route="r2"/>
                  </balancer>
                </portico>
                """;
        Gateway g = new Gateway(DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                "test.xml", null), LbMethods.discover(getClass().getClassLoader()));
        live = new LiveGateway(g);
        store = new MemoryStore();
        sync = SharedSync.start(StoreAddress.parse("etcd://127.0.0.1:1/t?instance=me"), store, live);
    }

    @AfterEach
    void stop() {
        sync.close();
        live.close();
    }

    private Balancer web() {
        return live.current().balancer("web");
    }

    private String memberIntent(String url, int lbfactor, String status, boolean added) {
        return Intents.json(new MemberIntent(url, added, lbfactor, 0, "", "", status, "NONE", "", 60_000, 1, 1, "", "x",
                System.currentTimeMillis()));
    }

    private void awaitApplied(String key, long version) throws Exception {
        assertTrue(sync.awaitApplied(Map.of(key, version), Duration.ofSeconds(10)), "applied within 10 s");
    }

    @Test
    void aCommittedIntentReachesTheBalancerOnlyThroughTheWatch() throws Exception {
        String key = sync.keys().member("web", M1);
        Map<String, Long> v = sync.commit(List.of(new StoreWrite(key, memberIntent(M1, 300, "D", false), 0)));
        awaitApplied(key, v.get(key));
        Worker w = web().member(M1);
        assertEquals(300, w.config().params().lbfactor());
        assertTrue(w.has(StatusFlag.DISABLED));
        assertEquals(v.get(key), sync.version(key), "the manager's next edit starts from this version");
    }

    @Test
    void aMemberTheManagerAddedElsewhereIsAddedHere() throws Exception {
        String url = "http://127.0.0.1:11";
        String key = sync.keys().member("web", url);
        store.put(key, memberIntent(url, 100, "", true));
        awaitApplied(key, 1); // the memory store's first revision
        Worker added = web().member(url);
        assertTrue(added != null && added.usable(), "added and, as the intent says, enabled");
    }

    @Test
    void anOlderVersionNeverReplacesANewerOne() throws Exception {
        String key = sync.keys().member("web", M1);
        sync.changed(new StoreEntry(key, memberIntent(M1, 500, "", false), 7));
        sync.changed(new StoreEntry(key, memberIntent(M1, 200, "", false), 5)); // a late duplicate from a resync
        awaitApplied(key, 7);
        sync.resynced(List.of(new StoreEntry(key, memberIntent(M1, 500, "", false), 7)));
        awaitApplied(key, 7);
        assertEquals(500, web().member(M1).config().params().lbfactor());
    }

    @Test
    void twoWritersFromTheSameVersionGetOneSuccessAndOneConflictWithTheCurrentValue() throws Exception {
        String key = sync.keys().member("web", M1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                long from = sync.version(key);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int lf = 100 + i;
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            return sync.commit(List.of(new StoreWrite(key, memberIntent(M1, lf, "", false), from)));
                        } catch (StoreConflictException e) {
                            return e;
                        }
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Object> f : results) {
                    Object r = f.get();
                    if (r instanceof StoreConflictException c) {
                        assertNotEquals(from, c.current().version(), "the conflict carries the value that won");
                    } else {
                        won++;
                        @SuppressWarnings("unchecked")
                        Map<String, Long> v = (Map<String, Long>) r;
                        awaitApplied(key, v.get(key));
                    }
                }
                assertEquals(1, won, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whileTheStoreIsDownTheStateStaysAndWritesAreRefused() throws Exception {
        String key = sync.keys().member("web", M1);
        Map<String, Long> v = sync.commit(List.of(new StoreWrite(key, memberIntent(M1, 400, "", false), 0)));
        awaitApplied(key, v.get(key));
        store.down();
        assertFalse(sync.connected());
        assertTrue(sync.staleSinceMillis() > 0);
        assertThrows(StoreUnavailableException.class,
                () -> sync.commit(List.of(new StoreWrite(key, memberIntent(M1, 600, "", false), v.get(key)))));
        assertEquals(400, web().member(M1).config().params().lbfactor(), "the last applied state goes on");
        store.up();
        assertTrue(sync.connected());
        assertEquals(0, sync.staleSinceMillis());
    }

    @Test
    void aMissingEngineJarFailsTheStartNamingTheParamAndTheJar() throws Exception {
        try (java.net.URLClassLoader none = new java.net.URLClassLoader(new java.net.URL[0], null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SharedSync.start(StoreAddress.parse("zk://127.0.0.1:1/t"), live, none));
            assertTrue(e.getMessage().startsWith("portico.shared-state=zk://127.0.0.1:1/t: the zk engine is not installed; "
                    + "put portico-shared-zk.jar into WEB-INF/lib"), e.getMessage());
        }
    }

    @Test
    void awaitAppliedGivesUpWhenTheWatchIsLate() throws Exception {
        assertFalse(sync.awaitApplied(Map.of(sync.keys().member("web", M1), 99L), Duration.ofMillis(100)));
    }

    @Test
    void aResyncForgetsReportsOfInstancesThatAreGone() throws Exception {
        String report = Intents.json(new HealthReport(true, "Err ", 1));
        sync.changed(new StoreEntry(sync.keys().health("web", M1, "other"), report, 3));
        sync.changed(new StoreEntry(sync.keys().instance("other"), "{}", 4));
        String key = sync.keys().member("web", M1);
        sync.changed(new StoreEntry(key, memberIntent(M1, 100, "", false), 5));
        awaitApplied(key, 5);
        assertEquals(1, sync.cluster().errorReports("web", M1, "me"));
        sync.resynced(List.of());
        sync.changed(new StoreEntry(key, memberIntent(M1, 100, "", false), 6));
        awaitApplied(key, 6);
        assertEquals(0, sync.cluster().errorReports("web", M1, "me"));
        assertFalse(sync.cluster().instances().containsKey("other"));
    }
}
