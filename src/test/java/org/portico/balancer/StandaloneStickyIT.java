package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sticky sessions of spec §5 through the standalone jar: where the route comes from (URL parameter,
 * query, cookie), how it is cut out of the session value, and what happens when its member cannot
 * serve (nofailover, redirect, drain), plus Portico's route cookie and learned affinity. Members
 * n1, n2, n3 have the routes n1, n2, n3. Balancers that must start from a fresh lbmethod state are
 * used by one test only.
 */
class StandaloneStickyIT {

    private static ProxiedBalancers proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxiedBalancers.start("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="sticky" stickysession="JSESSIONID|jsessionid">
                    <member url="{{n1}}/sticky" route="n1"/>
                    <member url="{{n2}}/sticky" route="n2"/>
                  </balancer>
                  <balancer name="no-separator" stickysession="JSESSIONID|jsessionid">
                    <member url="{{n1}}/no-separator" route="n1"/>
                    <member url="{{n2}}/no-separator" route="n2"/>
                  </balancer>
                  <balancer name="split" stickysession="JSESSIONID|jsessionid">
                    <member url="{{n1}}/split" route="n1"/>
                    <member url="{{n2}}/split" route="n2"/>
                  </balancer>
                  <balancer name="whole" stickysession="ROUTEID" stickysessionsep="Off">
                    <member url="{{n1}}/whole" route="n1"/>
                    <member url="{{n2}}/whole" route="n2"/>
                  </balancer>
                  <balancer name="case" stickysession="JSESSIONID">
                    <member url="{{n1}}/case" route="a"/>
                    <member url="{{n2}}/case" route="A"/>
                  </balancer>
                  <balancer name="odd" stickysession="JSESSIONID|jsessionid">
                    <member url="{{n1}}/odd" route="n1"/>
                    <member url="{{n2}}/odd" route="n2"/>
                  </balancer>
                  <balancer name="nofailover" stickysession="JSESSIONID" nofailover="true">
                    <member url="{{dead:x}}/nofailover" route="n1"/>
                    <member url="{{n2}}/nofailover" route="n2"/>
                  </balancer>
                  <balancer name="failover" stickysession="JSESSIONID">
                    <member url="{{dead:x}}/failover" route="n1"/>
                    <member url="{{n2}}/failover" route="n2"/>
                  </balancer>
                  <balancer name="route-redirect" stickysession="JSESSIONID">
                    <member url="{{n1}}/route-redirect" route="n1" status="D" redirect="n3"/>
                    <member url="{{n2}}/route-redirect" route="n2"/>
                    <member url="{{n3}}/route-redirect" route="n3"/>
                  </balancer>
                  <balancer name="drain" stickysession="JSESSIONID">
                    <member url="{{n1}}/drain" route="n1" status="N"/>
                    <member url="{{n2}}/drain" route="n2"/>
                    <member url="{{n3}}/drain" route="n3"/>
                  </balancer>
                  <balancer name="route-cookie" stickysession="JSESSIONID" route-cookie="true">
                    <member url="{{dead:x}}/route-cookie" route="n1"/>
                    <member url="{{n2}}/route-cookie" route="n2"/>
                  </balancer>
                  <balancer name="learned" stickysession="SESSION|sid" learned-affinity="true">
                    <member url="{{n1}}/setcookie/learned"/>
                    <member url="{{n2}}/setcookie/learned"/>
                  </balancer>
                  <pass path="/sticky/" to="balancer://sticky/"/>
                  <pass path="/no-separator/" to="balancer://no-separator/"/>
                  <pass path="/split/" to="balancer://split/"/>
                  <pass path="/whole/" to="balancer://whole/"/>
                  <pass path="/case/" to="balancer://case/"/>
                  <pass path="/odd/" to="balancer://odd/"/>
                  <pass path="/nofailover/" to="balancer://nofailover/"/>
                  <pass path="/failover/" to="balancer://failover/"/>
                  <pass path="/route-redirect/" to="balancer://route-redirect/"/>
                  <pass path="/drain/" to="balancer://drain/"/>
                  <pass path="/route-cookie/" to="balancer://route-cookie/"/>
                  <pass path="/learned/" to="balancer://learned/"/>
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
    void cookieRouteSelectsTheMemberWithThatRoute() {
        assertEquals(List.of("n2", "n2", "n2"), proxy.membersAnswering("/sticky/app", 3, "Cookie", "JSESSIONID=abc.n2"));
        assertEquals(List.of("n1", "n1", "n1"),
                proxy.membersAnswering("/sticky/app", 3, "Cookie", "other=1; JSESSIONID=abc.n1; more=2"));
    }

    @Test
    @Timeout(20)
    void pathParameterRouteSelectsTheMemberWithThatRoute() {
        assertEquals(List.of("n1", "n1", "n1"), proxy.membersAnswering("/sticky/app;jsessionid=abc.n1", 3));
        assertEquals(List.of("n2", "n2", "n2"), proxy.membersAnswering("/sticky/app;jsessionid=abc.n2?x=1", 3));
    }

    @Test
    @Timeout(20)
    void queryParameterRouteSelectsTheMemberWithThatRoute() {
        assertEquals(List.of("n1", "n1", "n1"), proxy.membersAnswering("/sticky/app?jsessionid=abc.n1", 3));
        assertEquals(List.of("n2", "n2", "n2"), proxy.membersAnswering("/sticky/app?x=1&jsessionid=abc.n2&y=2", 3));
    }

    @Test
    @Timeout(20)
    void urlParameterWinsOverTheCookie() {
        assertEquals(List.of("n1", "n1"),
                proxy.membersAnswering("/sticky/app;jsessionid=abc.n1", 2, "Cookie", "JSESSIONID=abc.n2"));
        assertEquals(List.of("n2", "n2"),
                proxy.membersAnswering("/sticky/app?jsessionid=abc.n2", 2, "Cookie", "JSESSIONID=abc.n1"));
    }

    @Test
    @Timeout(20)
    void routeInASecondCookieHeaderIsHonoured() {
        // httpd 2.4.71 joins repeated Cookie headers before looking (spec §12.3)
        assertEquals(List.of("n2", "n2"),
                proxy.membersAnswering("/sticky/app", 2, "Cookie", "a=1", "Cookie", "JSESSIONID=abc.n2"));
    }

    @Test
    @Timeout(20)
    void sessionValueWithoutSeparatorIsBalancedNormally() {
        assertEquals(List.of("n1", "n2", "n1", "n2"),
                proxy.membersAnswering("/no-separator/app", 4, "Cookie", "JSESSIONID=abcn2"));
    }

    @Test
    @Timeout(20)
    void cookieNameAndParameterNameAreEachUsedOnlyWhereTheyBelong() {
        // stickysession="JSESSIONID|jsessionid": the cookie is JSESSIONID, the URL parameter jsessionid,
        // and names are case-sensitive: these requests carry no session
        assertEquals("n1", member(proxy.get("/split/app", "Cookie", "jsessionid=abc.n2")));
        assertEquals("n2", member(proxy.get("/split/app;JSESSIONID=abc.n1")));
        assertEquals("n1", member(proxy.get("/split/app?JSESSIONID=abc.n2")));
        assertEquals("n2", member(proxy.get("/split/app", "Cookie", "jsessionid=abc.n1")));
        // and the right names do stick
        assertEquals(List.of("n2", "n2"), proxy.membersAnswering("/split/app", 2, "Cookie", "JSESSIONID=abc.n2"));
        assertEquals(List.of("n1", "n1"), proxy.membersAnswering("/split/app;jsessionid=abc.n1", 2));
    }

    @Test
    @Timeout(20)
    void separatorOffTakesTheWholeValueAsTheRoute() {
        // "abc.n2" is a route no member has: balanced normally
        assertEquals(List.of("n1", "n2", "n1", "n2"), proxy.membersAnswering("/whole/app", 4, "Cookie", "ROUTEID=abc.n2"));
        assertEquals(List.of("n2", "n2", "n2"), proxy.membersAnswering("/whole/app", 3, "Cookie", "ROUTEID=n2"));
        assertEquals(List.of("n1", "n1"), proxy.membersAnswering("/whole/app;ROUTEID=n1", 2));
    }

    @Test
    @Timeout(20)
    void routesDifferingOnlyInCaseGoToTheirOwnMembersOnOneConnection() {
        // sequential requests share one kept-alive client connection: the values must not be folded
        // into the spelling an earlier request used (Jetty's header cache does that unless told not to)
        for (int i = 0; i < 2; i++) {
            assertEquals("n1", member(proxy.get("/case/app", "Cookie", "JSESSIONID=xyz.a")));
            assertEquals("n2", member(proxy.get("/case/app", "Cookie", "JSESSIONID=XYZ.A")));
        }
        assertEquals(List.of("JSESSIONID=XYZ.A", "JSESSIONID=XYZ.A"),
                proxy.backend("n2").receivedUnder("/case").stream().map(r -> r.header("Cookie")).toList());
    }

    @Test
    @Timeout(20)
    void malformedOrEmptySessionValuesNeverCauseAnError() {
        Set<String> members = Set.of("n1", "n2");
        List<String> cookies = List.of("JSESSIONID=", "JSESSIONID", "JSESSIONID=.", "JSESSIONID=abc.",
                "JSESSIONID=..", "JSESSIONID=abc.nosuch", "JSESSIONID=abc.n1.n2", "JSESSIONID =abc.n2",
                "JSESSIONID=\"abc.n1\"", "JSESSIONID=abc.n1,", ";;,,JSESSIONID;=", "JSESSIONID=%00.n1",
                "JSESSIONID=" + "x".repeat(2000) + ".n9", "JSESSIONID=abc.n\u00e9");
        for (String cookie : cookies) {
            HttpResponse<String> r = proxy.get("/odd/app", "Cookie", cookie);
            assertEquals(200, r.statusCode(), () -> cookie + " -> " + r.body());
            assertTrue(members.contains(member(r)), cookie + " -> " + member(r));
        }
        List<String> paths = List.of("/odd/app;jsessionid=", "/odd/app;jsessionid", "/odd/app;jsessionid=.",
                "/odd/app;jsessionid=abc.", "/odd/app?jsessionid=", "/odd/app?jsessionid=&x=1", "/odd/app?jsessionid",
                "/odd/app;jsessionid=abc.n1;x=y", "/odd/app;jsessionid==.=", "/odd/app?jsessionid=abc.%6E1",
                "/odd/app;jsessionid=abc.n1?jsessionid=def.n2");
        for (String path : paths) {
            HttpResponse<String> r = proxy.get(path);
            assertEquals(200, r.statusCode(), () -> path + " -> " + r.body());
            assertTrue(members.contains(member(r)), path + " -> " + member(r));
        }
        // ".1"-style values carry a route: the manual's ROUTEID=.route recipe
        assertEquals(List.of("n2", "n2"), proxy.membersAnswering("/odd/app", 2, "Cookie", "JSESSIONID=.n2"));
    }

    @Test
    @Timeout(20)
    void noFailoverAnswers503WhenTheRoutedMemberIsDead() {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = proxy.get("/nofailover/app", "Cookie", "JSESSIONID=abc.n1");
            assertEquals(503, r.statusCode(), r::body);
            assertEquals("-", member(r));
        }
        // other routes, and requests without one, are still served
        assertEquals(List.of("n2"), proxy.membersAnswering("/nofailover/app", 1, "Cookie", "JSESSIONID=abc.n2"));
        assertEquals(List.of("n2"), proxy.membersAnswering("/nofailover/app", 1));
    }

    @Test
    @Timeout(20)
    void withoutNoFailoverAnotherMemberServesTheDeadMembersSession() {
        HttpResponse<String> r = proxy.get("/failover/app", "Cookie", "JSESSIONID=abc.n1");
        assertEquals(200, r.statusCode(), r::body);
        assertEquals("n2", member(r));
        // httpd does not touch the session cookie; route-cookie is off here
        assertEquals(List.of(), r.headers().allValues("Set-Cookie"));
        assertEquals(List.of("n2", "n2"), proxy.membersAnswering("/failover/app", 2, "Cookie", "JSESSIONID=abc.n1"));
    }

    @Test
    @Timeout(20)
    void redirectSendsADisabledMembersSessionToTheMemberItNames() {
        assertEquals(List.of("n3", "n3", "n3"), proxy.membersAnswering("/route-redirect/app", 3, "Cookie", "JSESSIONID=abc.n1"));
        assertEquals(List.of(), proxy.backend("n1").receivedUnder("/route-redirect"));
    }

    @Test
    @Timeout(20)
    void drainingMemberIsReachedOnlyThroughItsRoute() {
        assertEquals(List.of("n2", "n3", "n2", "n3", "n2", "n3"), proxy.membersAnswering("/drain/app", 6));
        assertEquals(List.of("n1", "n1"), proxy.membersAnswering("/drain/app", 2, "Cookie", "JSESSIONID=abc.n1"));
    }

    @Test
    @Timeout(20)
    void routeCookieCarriesTheNewRouteAfterAFailover() {
        HttpResponse<String> r = proxy.get("/route-cookie/app", "Cookie", "JSESSIONID=abc.n1");
        assertEquals(200, r.statusCode(), r::body);
        assertEquals("n2", member(r));
        assertEquals(List.of("JSESSIONID=abc.n2; path=/"), r.headers().allValues("Set-Cookie"));

        // with the re-issued cookie the client sticks to its new member, and nothing is re-issued
        HttpResponse<String> again = proxy.get("/route-cookie/app", "Cookie", "JSESSIONID=abc.n2");
        assertEquals("n2", member(again));
        assertEquals(List.of(), again.headers().allValues("Set-Cookie"));
    }

    @Test
    @Timeout(20)
    void learnedAffinitySendsASessionWithoutRouteToTheMemberThatIssuedIt() {
        // each member issues a session cookie without a route (the backend sets what the query says)
        HttpResponse<String> first = proxy.get("/learned/login?SESSION=s1");
        HttpResponse<String> second = proxy.get("/learned/login?SESSION=s2");
        assertEquals(List.of("SESSION=s1"), first.headers().allValues("Set-Cookie"));
        assertEquals(List.of("SESSION=s2"), second.headers().allValues("Set-Cookie"));
        String s1Member = member(first);
        String s2Member = member(second);
        assertEquals(Set.of("n1", "n2"), Set.of(s1Member, s2Member));

        assertEquals(List.of(s1Member, s1Member, s1Member), proxy.membersAnswering("/learned/page", 3, "Cookie", "SESSION=s1"));
        assertEquals(List.of(s2Member, s2Member, s2Member), proxy.membersAnswering("/learned/page", 3, "Cookie", "SESSION=s2"));
    }

    private static String member(HttpResponse<String> r) {
        return ProxiedBalancers.member(r);
    }
}
