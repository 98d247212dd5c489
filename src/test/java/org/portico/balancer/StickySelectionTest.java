package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portico.config.StatusFlag;

/** The request flow of a sticky balancer: route lookup, redirect, nofailover, route changed (spec §4.1, §5). */
class StickySelectionTest {

    private static Selection byCookie(Balancer b, String cookie, long now) {
        return b.select("/app/x", List.of(cookie), now);
    }

    private static Worker w(Balancer b, String host) {
        return b.member("http://" + host);
    }

    private static TestBalancers.Config twoNodes() {
        return balancer(m("a").route("n1"), m("b").route("n2")).sticky("JSESSIONID|jsessionid");
    }

    @Test
    void aRouteSendsTheRequestToItsMember() {
        Balancer b = twoNodes().byRequests();
        for (int i = 0; i < 3; i++) {
            Selection s = byCookie(b, "JSESSIONID=abc.n2", T0);
            assertSame(w(b, "b"), s.worker());
            assertFalse(s.routeChanged());
        }
        assertEquals(3, w(b, "b").electedCount());
        assertEquals(0, w(b, "a").electedCount());
    }

    @Test
    void aRouteInTheUrlWorksLikeTheCookie() {
        Balancer b = twoNodes().byRequests();
        Selection s = b.select("/app/x;jsessionid=abc.n2?q=1", null, T0);
        assertSame(w(b, "b"), s.worker());
        assertEquals("jsessionid", s.stickyName());
        assertEquals("n2", s.sessionRoute());
    }

    @Test
    void aRoutedRequestGetsTheDefaultLbstatusUpdate() {
        // every usable member of every lbset (standby, spare and draining included) gains its factor;
        // the chosen one gives back the total; unusable members are left out
        Balancer b = balancer(m("a").route("n1").loadfactor(1), m("b").route("n2").loadfactor(2),
                m("s").status("H").loadfactor(3), m("r").status("R").loadfactor(4), m("d").status("N").loadfactor(5),
                m("z").lbset(1).loadfactor(6), m("x").status("D").loadfactor(7)).sticky("JSESSIONID").byRequests();
        byCookie(b, "JSESSIONID=abc.n1", T0);
        assertEquals(100 - 2100, w(b, "a").lbstatus());
        assertEquals(200, w(b, "b").lbstatus());
        assertEquals(300, w(b, "s").lbstatus());
        assertEquals(400, w(b, "r").lbstatus());
        assertEquals(500, w(b, "d").lbstatus());
        assertEquals(600, w(b, "z").lbstatus());
        assertEquals(0, w(b, "x").lbstatus());
    }

    @Test
    void routedRequestsKeepTheRoundRobinFairForEveryoneElse() {
        Balancer b = twoNodes().byRequests();
        byCookie(b, "JSESSIONID=abc.n1", T0);
        assertSame(w(b, "b"), b.selectWithoutSession(T0).worker(), "a just had a request: the lbmethod goes to b");
    }

    @Test
    void theDefaultUpdateAppliesToBytrafficAndBybusynessToo() {
        for (LbMethod method : List.of(new ByTraffic(), new ByBusyness())) {
            Balancer b = twoNodes().with(method);
            byCookie(b, "JSESSIONID=abc.n1", T0);
            assertEquals(-100, w(b, "a").lbstatus(), method.name());
            assertEquals(100, w(b, "b").lbstatus(), method.name());
        }
    }

    @Test
    void aDrainingMemberIsStillReachedByItsRoute() {
        Balancer b = balancer(m("a").route("n1").status("N"), m("b").route("n2")).sticky("JSESSIONID").byRequests();
        assertSame(w(b, "a"), byCookie(b, "JSESSIONID=x.n1", T0).worker());
        assertSame(w(b, "b"), b.selectWithoutSession(T0).worker(), "but never by the lbmethod");
    }

    @Test
    void aRoutedMemberInErrorIsRetriedOnceItsRetryHasPassed() {
        Balancer b = balancer(m("a").route("n1").retry(Duration.ofSeconds(10)), m("b").route("n2"))
                .sticky("JSESSIONID").byRequests();
        w(b, "a").markError(T0);
        Selection early = byCookie(b, "JSESSIONID=x.n1", T0 + 10_000);
        assertSame(w(b, "b"), early.worker());
        assertTrue(early.routeChanged());
        Selection late = byCookie(b, "JSESSIONID=x.n1", T0 + 10_001);
        assertSame(w(b, "a"), late.worker());
        assertFalse(late.routeChanged());
    }

    @Test
    void anUnusableRoutedMemberWithRedirectSendsToTheRedirectRoute() {
        Balancer b = balancer(m("a").route("n1").redirect("n3").status("D"), m("b").route("n2"), m("c").route("n3"))
                .sticky("JSESSIONID").byRequests();
        Selection s = byCookie(b, "JSESSIONID=x.n1", T0);
        assertSame(w(b, "c"), s.worker());
        assertTrue(s.routeChanged(), "the member's route differs from the requested one");
        assertEquals("n1", s.sessionRoute());
    }

    @Test
    void redirectsAreFollowedAlongAChain() {
        Balancer b = balancer(m("a").route("n1").redirect("n2").status("D"), m("b").route("n2").redirect("n3").status("D"),
                m("c").route("n3")).sticky("JSESSIONID").byRequests();
        assertSame(w(b, "c"), byCookie(b, "JSESSIONID=x.n1", T0).worker());
    }

    @Test
    void aRedirectCycleEnds() {
        Balancer b = balancer(m("a").route("n1").redirect("n2").status("D"), m("b").route("n2").redirect("n1").status("D"),
                m("c")).sticky("JSESSIONID").byRequests();
        Selection s = byCookie(b, "JSESSIONID=x.n1", T0);
        assertSame(w(b, "c"), s.worker(), "the lookup gives up and the lbmethod chooses");
        assertTrue(s.routeChanged());
    }

    @Test
    void aRedirectToAnUnusableMemberFallsThroughToBalancing() {
        Balancer b = balancer(m("a").route("n1").redirect("n3").status("D"), m("b"), m("c").route("n3").status("S"))
                .sticky("JSESSIONID").byRequests();
        assertSame(w(b, "b"), byCookie(b, "JSESSIONID=x.n1", T0).worker());
    }

    @Test
    void nonStandbyMembersAreSearchedBeforeStandbys() {
        Balancer b = balancer(m("s").route("n1").status("H"), m("a").route("n1")).sticky("JSESSIONID").byRequests();
        assertSame(w(b, "a"), byCookie(b, "JSESSIONID=x.n1", T0).worker());
        w(b, "a").set(StatusFlag.DISABLED, true);
        Selection s = byCookie(b, "JSESSIONID=x.n1", T0);
        assertSame(w(b, "s"), s.worker(), "then a standby with the same route");
        assertFalse(s.routeChanged());
    }

    @Test
    void aSecondMemberWithTheSameRouteIsTriedWhenTheFirstIsUnusable() {
        Balancer b = balancer(m("a").route("n1").status("D"), m("b").route("n1"), m("c")).sticky("JSESSIONID").byRequests();
        assertSame(w(b, "b"), byCookie(b, "JSESSIONID=x.n1", T0).worker());
    }

    @Test
    void routesAreComparedExactly() {
        Balancer b = twoNodes().byRequests();
        Selection s = byCookie(b, "JSESSIONID=x.N2", T0);
        assertSame(w(b, "a"), s.worker(), "N2 is not n2: balanced, and a comes first");
        assertTrue(s.routeChanged());
    }

    @Test
    void membersWithoutRouteNeverMatch() {
        Balancer b = balancer(m("a"), m("b")).sticky("JSESSIONID").separator((char) 0).byRequests();
        Selection s = byCookie(b, "JSESSIONID=", T0);
        assertTrue(s.chosen());
        assertTrue(s.routeChanged());
    }

    @Test
    void anUnknownRouteIsBalancedAndMarkedChanged() {
        Balancer b = twoNodes().byRequests();
        Selection s = byCookie(b, "JSESSIONID=x.n9", T0);
        assertTrue(s.chosen());
        assertTrue(s.routeChanged());
        assertEquals("n9", s.sessionRoute());
        assertEquals("JSESSIONID", s.stickyName());
    }

    @Test
    void withNofailoverADeadRouteIsA503() {
        Balancer b = twoNodes().noFailover(true).byRequests();
        w(b, "b").markError(T0);
        Selection s = byCookie(b, "JSESSIONID=x.n2", T0 + 1);
        assertTrue(s.unavailable());
        assertNull(s.worker());
        assertEquals("All workers are in error state for route (n2)", s.reason());
        assertEquals(Map.of(), s.environment());
    }

    @Test
    void withNofailoverAnUnknownRouteIsStillBalanced() {
        Balancer b = twoNodes().noFailover(true).byRequests();
        Selection s = byCookie(b, "JSESSIONID=x.n9", T0);
        assertTrue(s.chosen());
        assertTrue(s.routeChanged());
    }

    @Test
    void withNofailoverARouteServedByARedirectIsNotA503() {
        Balancer b = balancer(m("a").route("n1").redirect("n2").status("D"), m("b").route("n2"))
                .sticky("JSESSIONID").noFailover(true).byRequests();
        assertSame(w(b, "b"), byCookie(b, "JSESSIONID=x.n1", T0).worker());
    }

    @Test
    void withoutNofailoverADeadRouteIsBalancedElsewhere() {
        Balancer b = twoNodes().byRequests();
        w(b, "b").markError(T0);
        Selection s = byCookie(b, "JSESSIONID=x.n2", T0 + 1);
        assertSame(w(b, "a"), s.worker());
        assertTrue(s.routeChanged());
    }

    @Test
    void aStickyBalancerMarksEveryLbmethodChoiceAsRouteChanged() {
        Balancer b = twoNodes().byRequests();
        assertTrue(b.select("/app", null, T0).routeChanged(), "no session at all");
        assertTrue(byCookie(b, "JSESSIONID=nosep", T0).routeChanged(), "a session without route");
    }

    @Test
    void aBalancerWithoutStickysessionNeverChangesRoutes() {
        Balancer b = balancer(m("a").route("n1"), m("b").route("n2")).byRequests();
        Selection s = byCookie(b, "JSESSIONID=x.n2", T0);
        assertFalse(s.routeChanged());
        assertNull(s.session());
        assertSame(w(b, "a"), s.worker(), "no stickysession: the cookie means nothing");
    }

    @Test
    void theEnvironmentIsWhatHttpdExports() {
        Balancer b = twoNodes().byRequests();
        Selection routed = byCookie(b, "JSESSIONID=x.n2", T0);
        assertEquals(Map.of("BALANCER_NAME", "balancer://b", "BALANCER_WORKER_NAME", "http://b",
                "BALANCER_WORKER_ROUTE", "n2", "BALANCER_SESSION_STICKY", "JSESSIONID",
                "BALANCER_SESSION_ROUTE", "n2"), routed.environment());
        Selection fresh = b.select("/", null, T0);
        assertEquals(Map.of("BALANCER_ROUTE_CHANGED", "1", "BALANCER_NAME", "balancer://b",
                "BALANCER_WORKER_NAME", fresh.worker().name(), "BALANCER_WORKER_ROUTE",
                fresh.worker().config().params().route()), fresh.environment());
        Selection noRoute = byCookie(b, "JSESSIONID=nosep", T0);
        assertNull(noRoute.stickyName(), "the session is exported only when it carried a route");
        assertFalse(noRoute.environment().containsKey("BALANCER_SESSION_STICKY"));
        assertEquals("nosep", noRoute.session().value());
    }

    @Test
    void selectionNeverTouchesBusy() {
        Balancer b = twoNodes().byRequests();
        byCookie(b, "JSESSIONID=x.n2", T0);
        b.select("/", null, T0);
        assertEquals(0, w(b, "a").busy());
        assertEquals(0, w(b, "b").busy());
    }

    @Test
    void theOldEntryPointStillChoosesWithoutSession() {
        Balancer b = twoNodes().byRequests();
        assertSame(w(b, "a"), b.selectWithoutSession(T0).worker());
        assertSame(w(b, "b"), b.selectWithoutSession(T0).worker());
        w(b, "a").markError(T0);
        w(b, "b").set(StatusFlag.DISABLED, true);
        assertNull(b.selectWithoutSession(T0).worker());
    }
}
