package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;

/**
 * The lbmethods and tiers of spec §4 through the standalone jar and real backends: which member
 * answered each request, in order. Every test has balancers of its own, so the order tests run in
 * does not matter; members with the same backend differ by path, and a dead member is a loopback
 * port where nothing listens.
 */
class StandaloneBalancingIT {

    private static ProxiedBalancers proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxiedBalancers.start("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="one-two">
                    <member url="{{a}}/one-two" loadfactor="1"/>
                    <member url="{{b}}/one-two" loadfactor="2"/>
                  </balancer>
                  <balancer name="one-one-three">
                    <member url="{{a}}/one-one-three" loadfactor="1"/>
                    <member url="{{b}}/one-one-three" loadfactor="1"/>
                    <member url="{{c}}/one-one-three" loadfactor="3"/>
                  </balancer>
                  <balancer name="disabled">
                    <member url="{{a}}/disabled" loadfactor="25"/>
                    <member url="{{b}}/disabled" loadfactor="25" status="D"/>
                    <member url="{{c}}/disabled" loadfactor="25"/>
                    <member url="{{d}}/disabled" loadfactor="25"/>
                  </balancer>
                  <balancer name="traffic" lbmethod="bytraffic">
                    <member url="{{a}}/big/traffic"/>
                    <member url="{{b}}/traffic"/>
                  </balancer>
                  <balancer name="busy" lbmethod="bybusyness" stickysession="S">
                    <member url="{{a}}/hold/busy" route="a"/>
                    <member url="{{b}}/busy" route="b"/>
                  </balancer>
                  <balancer name="standby">
                    <member url="{{dead:x}}/standby-1"/>
                    <member url="{{dead:x}}/standby-2"/>
                    <member url="{{h}}/standby" status="+H"/>
                  </balancer>
                  <balancer name="standby-idle">
                    <member url="{{a}}/standby-idle"/>
                    <member url="{{dead:x}}/standby-idle"/>
                    <member url="{{h}}/standby-idle" status="+H"/>
                  </balancer>
                  <balancer name="lbset-up">
                    <member url="{{a}}/lbset-up"/>
                    <member url="{{b}}/lbset-up" lbset="1"/>
                  </balancer>
                  <balancer name="lbset-down">
                    <member url="{{dead:x}}/lbset-down"/>
                    <member url="{{b}}/lbset-down" lbset="1"/>
                    <member url="{{c}}/lbset-down" lbset="1"/>
                  </balancer>
                  <balancer name="spare">
                    <member url="{{a}}/spare"/>
                    <member url="{{dead:x}}/spare"/>
                    <member url="{{r}}/spare" status="+R"/>
                    <member url="{{s}}/spare" status="+R"/>
                  </balancer>
                  <balancer name="spare-idle">
                    <member url="{{a}}/spare-idle"/>
                    <member url="{{b}}/spare-idle"/>
                    <member url="{{r}}/spare-idle" status="+R"/>
                  </balancer>
                  <balancer name="concurrent">
                    <member url="{{a}}/concurrent" loadfactor="1"/>
                    <member url="{{b}}/concurrent" loadfactor="1"/>
                    <member url="{{c}}/concurrent" loadfactor="2"/>
                  </balancer>
                  <pass path="/one-two/" to="balancer://one-two/"/>
                  <pass path="/one-one-three/" to="balancer://one-one-three/"/>
                  <pass path="/disabled/" to="balancer://disabled/"/>
                  <pass path="/traffic/" to="balancer://traffic/"/>
                  <pass path="/busy/" to="balancer://busy/"/>
                  <pass path="/standby/" to="balancer://standby/"/>
                  <pass path="/standby-idle/" to="balancer://standby-idle/"/>
                  <pass path="/lbset-up/" to="balancer://lbset-up/"/>
                  <pass path="/lbset-down/" to="balancer://lbset-down/"/>
                  <pass path="/spare/" to="balancer://spare/"/>
                  <pass path="/spare-idle/" to="balancer://spare-idle/"/>
                  <pass path="/concurrent/" to="balancer://concurrent/"/>
                </portico>
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Timeout(20)
    void byRequestsWithLoadFactorsOneAndTwoRepeatsBAB() {
        assertEquals(List.of("b", "a", "b", "b", "a", "b"), proxy.membersAnswering("/one-two/x", 6));
    }

    @Test
    @Timeout(20)
    void byRequestsWithLoadFactorsOneOneThreeRepeatsCACBC() {
        assertEquals(List.of("c", "a", "c", "b", "c", "c", "a", "c", "b", "c"),
                proxy.membersAnswering("/one-one-three/x", 10));
    }

    @Test
    @Timeout(20)
    void byRequestsNeverChoosesADisabledMember() {
        assertEquals(List.of("a", "c", "d", "a", "c", "d", "a", "c", "d"), proxy.membersAnswering("/disabled/x", 9));
        assertEquals(List.of(), proxy.backend("b").receivedUnder("/disabled"));
    }

    @Test
    @Timeout(20)
    void byTrafficSendsTheNextRequestsToTheMemberThatMovedFewerBytes() {
        // the same request each time: a answers it with 100,000 bytes, b with its short echo
        List<String> members = proxy.membersAnswering("/traffic/x?bytes=100000", 6);
        assertEquals(List.of("a", "b", "b", "b", "b", "b"), members);
    }

    @Test
    @Timeout(20)
    void byBusynessSendsNewRequestsToTheMemberWithFewerRequestsInFlight() throws Exception {
        Backend a = proxy.backend("a");
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        // equally idle: the lbmethod picks a (configuration order), which holds the request
        held.add(Http.sendAsync(Http.request(proxy.uri("/busy/held-0")).GET().build()));
        Poll.until(Duration.ofSeconds(10), a::held, n -> n == 1);
        // b answers at once and is idle again before each next request: one in flight on a is enough
        assertEquals(List.of("b", "b", "b", "b", "b"), proxy.membersAnswering("/busy/x", 5));

        // two more pinned to a by their route
        for (int i = 1; i <= 2; i++) {
            held.add(Http.sendAsync(Http.request(proxy.uri("/busy/held-" + i), "Cookie", "S=s" + i + ".a").GET().build()));
        }
        Poll.until(Duration.ofSeconds(10), a::held, n -> n == 3);
        assertEquals(List.of("b", "b", "b", "b", "b"), proxy.membersAnswering("/busy/x", 5));

        a.releaseHeld();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("a", ProxiedBalancers.member(r));
        }
    }

    @Test
    @Timeout(20)
    void hotStandbyTakesOverWhenAllRegularMembersFail() {
        assertEquals(List.of("h", "h", "h", "h"), proxy.membersAnswering("/standby/x", 4));
    }

    @Test
    @Timeout(20)
    void hotStandbyStaysIdleWhileARegularMemberServes() {
        // the dead regular member fails over to the live one, never to the standby
        assertEquals(List.of("a", "a", "a", "a", "a", "a"), proxy.membersAnswering("/standby-idle/x", 6));
        assertEquals(List.of(), proxy.backend("h").receivedUnder("/standby-idle"));
    }

    @Test
    @Timeout(20)
    void lbsetOneServesOnlyWhenLbsetZeroIsGone() {
        assertEquals(List.of("a", "a", "a", "a"), proxy.membersAnswering("/lbset-up/x", 4));
        assertEquals(List.of(), proxy.backend("b").receivedUnder("/lbset-up"));

        assertEquals(List.of("b", "c", "b", "c"), proxy.membersAnswering("/lbset-down/x", 4));
    }

    @Test
    @Timeout(20)
    void hotSpareReplacesOneDeadRegularMember() {
        // request 2 meets the dead member and fails over to a; from then on spare r stands in for it,
        // and spare s stays idle: one spare per unusable regular member
        assertEquals(List.of("a", "a", "r", "a", "r", "a"), proxy.membersAnswering("/spare/x", 6));
        assertEquals(List.of(), proxy.backend("s").receivedUnder("/spare"));

        assertEquals(List.of("a", "b", "a", "b"), proxy.membersAnswering("/spare-idle/x", 4));
        assertEquals(List.of(), proxy.backend("r").receivedUnder("/spare-idle"));
    }

    @Test
    @Timeout(30)
    void concurrentSelectionsKeepTheLoadFactorsExactly() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Map<String, Integer>>> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                clients.add(() -> {
                    Map<String, Integer> seen = new TreeMap<>();
                    for (int i = 0; i < perThread; i++) {
                        HttpResponse<String> r = proxy.get("/concurrent/t" + id + "-" + i);
                        assertEquals(200, r.statusCode(), r.body());
                        seen.merge(ProxiedBalancers.member(r), 1, Integer::sum);
                    }
                    return seen;
                });
            }
            Map<String, Integer> answered = new TreeMap<>();
            for (Future<Map<String, Integer>> f : pool.invokeAll(clients, 25, TimeUnit.SECONDS)) {
                f.get().forEach((member, n) -> answered.merge(member, n, Integer::sum));
            }
            int n = threads * perThread;
            Map<String, Integer> expected = new TreeMap<>(Map.of("a", n / 4, "b", n / 4, "c", n / 2));
            assertEquals(expected, answered, "answers seen by the clients");
            Map<String, Integer> counted = new TreeMap<>();
            for (String name : List.of("a", "b", "c")) {
                counted.put(name, proxy.backend(name).receivedUnder("/concurrent").size());
            }
            assertEquals(expected, counted, "requests counted at the backends");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }
}
