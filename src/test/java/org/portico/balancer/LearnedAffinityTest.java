package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.portico.config.StatusFlag;

/** Beyond httpd: affinity for session values that carry no route, learned from Set-Cookie. */
class LearnedAffinityTest {

    private final AtomicLong nanos = new AtomicLong();
    private final BalancerOptions on = BalancerOptions.DEFAULTS.withLearnedAffinity(1000, Duration.ofMinutes(30))
            .withAffinityTicker(nanos::get);

    private Balancer sticky(TestBalancers.Member... members) {
        return balancer(members).sticky("JSESSIONID").with(new ByRequests(), on);
    }

    private static Worker w(Balancer b, String host) {
        return b.member("http://" + host);
    }

    private static Selection request(Balancer b, String session) {
        return b.select("/", List.of("JSESSIONID=" + session), T0);
    }

    @Test
    void aSessionIssuedByAMemberSticksToIt() {
        Balancer b = sticky(m("a"), m("b"));
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=PLAIN42; Path=/; HttpOnly"), T0);
        for (int i = 0; i < 4; i++) {
            Selection s = request(b, "PLAIN42");
            assertSame(w(b, "b"), s.worker());
            assertFalse(s.routeChanged());
        }
        assertEquals(4, w(b, "b").electedCount());
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker(), "the default lbstatus update kept byrequests fair");
    }

    @Test
    void valuesThatCarryARouteAreLeftToTheRoute() {
        Balancer b = sticky(m("a").route("n1"), m("b").route("n2"));
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=X.n1"), T0);
        assertNull(b.affinity().lookup("X.n1"));
        assertSame(w(b, "a"), request(b, "X.n1").worker());
    }

    @Test
    void otherCookiesAreIgnored() {
        Balancer b = sticky(m("a"), m("b"));
        b.learnAffinity(w(b, "b"), List.of("OTHER=PLAIN", "jsessionid=PLAIN", "XJSESSIONID=PLAIN"), T0);
        assertEquals(0, b.affinity().size());
    }

    @Test
    void aDeletingCookieForgetsTheSession() {
        Balancer b = sticky(m("a"), m("b"));
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=S1", "JSESSIONID=S2", "JSESSIONID=S3"), T0);
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=S1; Max-Age=0",
                "JSESSIONID=S2; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
                "JSESSIONID=S3; Expires=Thu, 01-Jan-1970 00:00:10 GMT"), T0);
        assertEquals(0, b.affinity().size());
    }

    @Test
    void expiresIsReadToTheSecondInBothFormsBackendsSend() {
        // Tue, 14 Nov 2023 22:13:20 GMT: the IMF-fixdate servers send, and the cookie form with dashes
        long at = 1_700_000_000_000L;
        Balancer b = sticky(m("a"), m("b"));
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=S1", "JSESSIONID=S2", "JSESSIONID=S3", "JSESSIONID=S4"), at);
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=S1; Expires=Tue, 14 Nov 2023 22:13:20 GMT",
                "JSESSIONID=S2; Expires=Tue, 14-Nov-2023 22:13:20 GMT",
                "JSESSIONID=S3; Expires=Tue, 14 Nov 2023 22:13:21 GMT",
                "JSESSIONID=S4; Expires=Tue, 14-Nov-2023 22:13:21 GMT"), at);
        assertNull(b.affinity().lookup("S1"), "expiring now deletes");
        assertNull(b.affinity().lookup("S2"), "expiring now deletes, in the dashed form too");
        assertSame(w(b, "b"), b.affinity().lookup("S3"), "a second later is still to come");
        assertSame(w(b, "b"), b.affinity().lookup("S4"));
    }

    @Test
    void aFutureExpiryOrPositiveMaxAgeIsLearned() {
        Balancer b = sticky(m("a"), m("b"));
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=S1; Max-Age=600",
                "JSESSIONID=S2; Expires=Fri, 01 Jan 2100 00:00:00 GMT", "JSESSIONID=S3; Expires=garbage"), T0);
        assertEquals(3, b.affinity().size());
    }

    @Test
    void anUnusedSessionExpires() {
        Balancer b = sticky(m("a"), m("b"));
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=S1"), T0);
        nanos.addAndGet(Duration.ofMinutes(29).toNanos());
        assertSame(w(b, "b"), request(b, "S1").worker(), "using it restarts the clock");
        nanos.addAndGet(Duration.ofMinutes(29).toNanos());
        assertSame(w(b, "b"), request(b, "S1").worker());
        nanos.addAndGet(Duration.ofMinutes(31).toNanos());
        assertNull(b.affinity().lookup("S1"));
        assertEquals(0, b.affinity().size());
    }

    @Test
    void theMemoryIsBoundedUnderManySessions() {
        Balancer b = sticky(m("a"), m("b"));
        for (int i = 0; i < 100_000; i++) {
            b.learnAffinity(w(b, i % 2 == 0 ? "a" : "b"), List.of("JSESSIONID=S" + i), T0);
        }
        assertTrue(b.affinity().size() <= 1000, "size " + b.affinity().size());
    }

    @Test
    void clientsCannotFillTheCache() {
        Balancer b = sticky(m("a"), m("b"));
        for (int i = 0; i < 5000; i++) {
            request(b, "FORGED" + i);
        }
        assertEquals(0, b.affinity().size(), "only backends' Set-Cookie headers add entries");
    }

    @Test
    void overlongValuesAreNotRemembered() {
        Balancer b = sticky(m("a"), m("b"));
        String longValue = "X".repeat(LearnedAffinity.MAX_VALUE_LENGTH + 1);
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=" + longValue), T0);
        assertEquals(0, b.affinity().size());
        assertNull(b.affinity().lookup(longValue));
    }

    @Test
    void whenTheLearnedMemberCannotServeTheSessionMovesWithTheRequest() {
        Balancer b = sticky(m("a"), m("b"));
        b.learnAffinity(w(b, "a"), List.of("JSESSIONID=S1"), T0);
        w(b, "a").set(StatusFlag.DISABLED, true);
        Selection s = request(b, "S1");
        assertSame(w(b, "b"), s.worker());
        assertTrue(s.routeChanged());
        w(b, "a").set(StatusFlag.DISABLED, false);
        assertSame(w(b, "b"), request(b, "S1").worker(), "it stays where it went");
    }

    @Test
    void aLearnedMemberInErrorIsRetriedLikeARoute() {
        Balancer b = balancer(m("a").retry(Duration.ofSeconds(1)), m("b")).sticky("JSESSIONID").with(new ByRequests(), on);
        b.learnAffinity(w(b, "a"), List.of("JSESSIONID=S1"), T0);
        w(b, "a").markError(T0 - 5000);
        assertSame(w(b, "a"), request(b, "S1").worker());
    }

    @Test
    void aRouteInTheSameRequestWins() {
        Balancer b = balancer(m("a").route("n1"), m("b").route("n2")).sticky("JSESSIONID|jsessionid")
                .with(new ByRequests(), on);
        b.learnAffinity(w(b, "b"), List.of("JSESSIONID=S1"), T0);
        assertSame(w(b, "a"), b.select("/x;jsessionid=Z.n1", List.of("JSESSIONID=S1"), T0).worker());
    }

    @Test
    void offByDefaultAndForBalancersWithoutStickysession() {
        Balancer plain = balancer(m("a"), m("b")).sticky("JSESSIONID").byRequests();
        plain.learnAffinity(plain.member("http://b"), List.of("JSESSIONID=S1"), T0);
        assertNull(plain.affinity());
        assertSame(plain.member("http://a"), request(plain, "S1").worker());
        Balancer notSticky = balancer(m("a")).with(new ByRequests(), on);
        assertNull(notSticky.affinity());
        assertDoesNotThrow(() -> notSticky.learnAffinity(notSticky.member("http://a"), List.of("JSESSIONID=S1"), T0));
    }

    @Test
    void malformedSetCookieHeadersAreIgnored() {
        Balancer b = sticky(m("a"), m("b"));
        assertDoesNotThrow(() -> b.learnAffinity(w(b, "b"), Arrays.asList(null, "", "=", "JSESSIONID", "=x",
                "JSESSIONID=", "JSESSIONID=;;;", "JSESSIONID=v; Max-Age=x; Expires=", ";;"), T0));
        assertDoesNotThrow(() -> b.learnAffinity(w(b, "b"), null, T0));
        assertEquals(1, b.affinity().size(), "only JSESSIONID=v was a value to learn");
    }

    @Test
    void concurrentLearningAndLookupsStayBounded() {
        Balancer b = balancer(m("a"), m("b")).sticky("JSESSIONID")
                .with(new ByRequests(), BalancerOptions.DEFAULTS.withLearnedAffinity(500, Duration.ofMinutes(5)));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 20_000; i++) {
                        String v = "T" + id + "S" + i;
                        b.learnAffinity(b.members().get(i % 2), List.of("JSESSIONID=" + v), T0);
                        Selection s = request(b, v);
                        if (!s.chosen()) {
                            throw new AssertionError(s.toString());
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            start.countDown();
            for (Thread th : threads) {
                th.join();
            }
        });
        assertTrue(b.affinity().size() <= 500, "size " + b.affinity().size());
    }
}
