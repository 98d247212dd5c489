package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Poll;
import org.portico.testkit.Scrape;

/**
 * What several instances sharing one store must do, whatever the engine: an edit on one is applied by all within
 * 2 s; two edits of one member from the same version get one 200 and one 409; with the store stopped traffic
 * flows, edits get 503 naming the store and the page says since when the state is stale, and edits work again once
 * it is back; a killed instance's health reports vanish with its lease or session; an instance started while the
 * store is down runs on its snapshot of the last applied state. Each engine's IT runs these
 * against its own store with instances A, B and C.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SharedStateScenarios {

    /** The cluster of A, B and C, started by the subclass. */
    static SharedCluster cluster;

    /** The engine's name for the figures printed. */
    abstract String engine();

    abstract void stopStore() throws Exception;

    abstract void restartStore() throws Exception;

    static void awaitConnected(String... names) throws Exception {
        for (String n : names) {
            Poll.until(Duration.ofSeconds(60), () -> SharedCluster.shared(cluster.admin(n)).get("connected"),
                    Boolean.TRUE::equals);
        }
    }

    private static HttpResponse<String> edit(String instance, String url, String... fields) throws Exception {
        ManagerClient admin = cluster.admin(instance);
        List<String> all = new ArrayList<>(List.of("b", "web", "w", url, "nonce", admin.nonce("web")));
        all.addAll(List.of(fields));
        return admin.post(all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void anEditOnOneInstanceIsAppliedByEveryInstanceWithinTwoSeconds() throws Exception {
        String w = cluster.member(0);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double lf = 2 + i;
            long t0 = System.nanoTime();
            HttpResponse<String> r = edit("A", w, "w_lf", Double.toString(lf));
            assertEquals(200, r.statusCode(), r.body());
            Poll.until(Duration.ofSeconds(10), () -> SharedCluster.loadfactor(cluster.admin("B"), w) == lf
                    && SharedCluster.loadfactor(cluster.admin("C"), w) == lf, Boolean.TRUE::equals);
            millis.add((System.nanoTime() - t0) / 1_000_000);
            assertEquals(lf, SharedCluster.loadfactor(cluster.admin("A"), w), "the writer applied it too");
        }
        Collections.sort(millis);
        long median = (millis.get(9) + millis.get(10)) / 2;
        long max = millis.get(19);
        System.out.println("shared state (" + engine() + "): an edit on A visible on B and C (POST sent to both "
                + "showing it) over 20 edits: median " + median + " ms, max " + max + " ms, all " + millis);
        // the 2 s is a figure to report (printed above); asserted on the median, so that one edit slowed by a
        // machine busy with other builds (a GC pause, a starved watch thread) does not fail the run; each edit is
        // still bounded by the 10 s wait above
        assertTrue(median <= 2000, "edits visible on B and C within 2 s (median): " + millis);
        Scrape b = new Scrape(cluster.admin("B").get("/balancer-manager/metrics").body());
        assertEquals(1.0, b.value("portico_shared_state_connected", "store", cluster.store, "instance", "B"));
        assertEquals(0.0, b.value("portico_shared_state_stale_seconds", "store", cluster.store, "instance", "B"));
        assertTrue(b.value("portico_shared_state_propagation_seconds_count") >= 20, "each applied change is measured");
    }

    @Test
    @Order(2)
    void twoEditsOfOneMemberFromTheSameVersionGetOne200AndOne409() throws Exception {
        String w = cluster.member(1);
        long rev = SharedCluster.rev(cluster.admin("A"), "web", w);
        Poll.until(Duration.ofSeconds(10), () -> SharedCluster.rev(cluster.admin("B"), "web", w), v -> v == rev);
        String form = cluster.admin("A").get("/balancer-manager?b=web&w=" + java.net.URLEncoder.encode(w,
                java.nio.charset.StandardCharsets.UTF_8) + "&nonce=" + cluster.admin("A").nonce("web")).body();
        assertTrue(form.contains("<input type=\"hidden\" name=\"rev\" value=\"" + rev + "\">"),
                "the member's form sends back the version it showed: " + form);
        CountDownLatch go = new CountDownLatch(1);
        String nonceA = cluster.admin("A").nonce("web");
        String nonceB = cluster.admin("B").nonce("web");
        CompletableFuture<HttpResponse<String>> onA = CompletableFuture.supplyAsync(() -> post(go, "A", nonceA, w, rev, "3"));
        CompletableFuture<HttpResponse<String>> onB = CompletableFuture.supplyAsync(() -> post(go, "B", nonceB, w, rev, "4"));
        go.countDown();
        HttpResponse<String> a = onA.get();
        HttpResponse<String> b = onB.get();
        List<Integer> statuses = new ArrayList<>(List.of(a.statusCode(), b.statusCode()));
        Collections.sort(statuses);
        assertEquals(List.of(200, 409), statuses, a.body() + "\n----\n" + b.body());
        HttpResponse<String> refused = a.statusCode() == 409 ? a : b;
        assertTrue(refused.body().contains("was changed by another edit") && refused.body().contains("current value"),
                refused.body());
        double winner = a.statusCode() == 200 ? 3 : 4;
        for (String n : List.of("A", "B", "C")) {
            Poll.until(Duration.ofSeconds(5), () -> SharedCluster.loadfactor(cluster.admin(n), w), v -> v == winner);
        }
    }

    private static HttpResponse<String> post(CountDownLatch go, String instance, String nonce, String w, long rev,
                                             String lf) {
        try {
            go.await();
            return cluster.admin(instance).post("b", "web", "w", w, "nonce", nonce, "rev", Long.toString(rev), "w_lf", lf);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(3)
    void withTheStoreStoppedTrafficFlowsEditsGet503AndAfterItsRestartEditsWork() throws Exception {
        String w = cluster.member(0);
        stopStore();
        try {
            Poll.until(Duration.ofSeconds(30), () -> SharedCluster.shared(cluster.admin("A")).get("connected"),
                    Boolean.FALSE::equals);
            for (int i = 0; i < 10; i++) {
                assertEquals(200, cluster.through("A", "/web/").statusCode(), "traffic goes on with the last applied state");
            }
            HttpResponse<String> r = edit("A", w, "w_lf", "7");
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains(cluster.store), "the refusal names the store: " + r.body());
            String page = cluster.admin("A").get("/balancer-manager").body();
            assertTrue(page.contains("shared state: " + cluster.store + ", stale since "), page);
        } finally {
            restartStore();
        }
        awaitConnected("A", "B", "C");
        HttpResponse<String> r = edit("A", w, "w_lf", "8");
        assertEquals(200, r.statusCode(), r.body());
        for (String n : List.of("B", "C")) {
            Poll.until(Duration.ofSeconds(5), () -> SharedCluster.loadfactor(cluster.admin(n), w), v -> v == 8);
        }
    }

    @Test
    @Order(5)
    void anInstanceStartingWhileTheStoreIsDownStartsFromItsSnapshot() throws Exception {
        String w = cluster.member(0);
        HttpResponse<String> r = edit("A", w, "w_lf", "9");
        assertEquals(200, r.statusCode(), r.body());
        Poll.until(Duration.ofSeconds(5), () -> SharedCluster.loadfactor(cluster.admin("C"), w), v -> v == 9);
        // the snapshot is written right after the change is applied: a crash in between loses it from the file only
        Poll.until(Duration.ofSeconds(5), () -> java.nio.file.Files.readString(cluster.stateDir.resolve("C.state")),
                text -> text.contains("balancer.web.member.000.lbfactor=900"));
        cluster.kill("C");
        stopStore();
        try {
            cluster.start("C"); // the same snapshot file as before
            assertEquals(9.0, SharedCluster.loadfactor(cluster.admin("C"), w), "the last applied state, from the snapshot");
            assertTrue(SharedCluster.shared(cluster.admin("C")).get("state").toString().startsWith("stale since "));
            assertEquals(200, cluster.through("C", "/web/").statusCode());
        } finally {
            restartStore();
        }
        awaitConnected("A", "B", "C");
    }

    @Test
    @Order(4)
    void aKilledInstancesHealthReportsExpire() throws Exception {
        String w = cluster.member(0);
        cluster.start("D");
        Poll.until(Duration.ofSeconds(60), () -> SharedCluster.observations(cluster.admin("A"), "web", w),
                m -> m.containsKey("D"));
        assertTrue(((List<?>) SharedCluster.shared(cluster.admin("A")).get("instances")).contains("D"));
        long t0 = System.nanoTime();
        cluster.kill("D");
        Map<String, Object> after = Poll.until(Duration.ofSeconds(60),
                () -> SharedCluster.observations(cluster.admin("A"), "web", w), m -> !m.containsKey("D"));
        long gone = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("shared state (" + engine() + "): a killed instance's health reports vanished after " + gone
                + " ms (ttl 4 s)");
        assertTrue(after.keySet().containsAll(List.of("A", "B", "C")), "the live instances' reports stay: " + after);
        assertTrue(!((List<?>) SharedCluster.shared(cluster.admin("A")).get("instances")).contains("D"));
    }
}
