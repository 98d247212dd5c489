package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.config.StatusFlag;

/** Beyond httpd: re-issuing the route cookie when the route changed (spec §11). */
class RouteCookieTest {

    private static final BalancerOptions ON = BalancerOptions.DEFAULTS.withRouteCookie(true);

    private static TestBalancers.Config nodes() {
        return balancer(m("a").route("n1"), m("b").route("n2")).sticky("ROUTEID");
    }

    @Test
    void aNewClientGetsTheManualsRouteidCookie() {
        Balancer b = nodes().with(new ByRequests(), ON);
        Selection s = b.select("/", null, T0);
        assertEquals("ROUTEID=.n1; path=/", b.routeCookie(s));
    }

    @Test
    void aClientWhoseRouteHeldGetsNoCookie() {
        Balancer b = nodes().with(new ByRequests(), ON);
        assertNull(b.routeCookie(b.select("/", List.of("ROUTEID=.n2"), T0)));
    }

    @Test
    void aClientWhoseMemberDiedIsRePinnedKeepingItsSessionId() {
        Balancer b = balancer(m("a").route("n1"), m("b").route("n2")).sticky("JSESSIONID").with(new ByRequests(), ON);
        b.member("http://b").set(StatusFlag.DISABLED, true);
        Selection s = b.select("/", List.of("JSESSIONID=ABC123.n2"), T0);
        assertEquals("JSESSIONID=ABC123.n1; path=/", b.routeCookie(s));
    }

    @Test
    void aRedirectedRouteIsRePinnedToTheRedirectTarget() {
        Balancer b = balancer(m("a").route("n1").redirect("n2").status("D"), m("b").route("n2")).sticky("ROUTEID")
                .with(new ByRequests(), ON);
        assertEquals("ROUTEID=.n2; path=/", b.routeCookie(b.select("/", List.of("ROUTEID=.n1"), T0)));
    }

    @Test
    void theSeparatorIsTheBalancers() {
        Balancer bang = nodes().separator('!').with(new ByRequests(), ON);
        assertEquals("ROUTEID=!n1; path=/", bang.routeCookie(bang.select("/", null, T0)));
        Balancer off = nodes().separator((char) 0).with(new ByRequests(), ON);
        assertEquals("ROUTEID=n1; path=/", off.routeCookie(off.select("/", List.of("ROUTEID=n9"), T0)));
    }

    @Test
    void theCookieIsTheStickyCookieEvenWhenTheRouteCameFromTheUrl() {
        Balancer b = balancer(m("a").route("n1"), m("b").route("n2")).sticky("JSESSIONID|jsessionid")
                .with(new ByRequests(), ON);
        b.member("http://b").set(StatusFlag.DISABLED, true);
        Selection s = b.select("/x;jsessionid=S1.n2", null, T0);
        assertEquals("JSESSIONID=S1.n1; path=/", b.routeCookie(s));
    }

    @Test
    void aSessionIdWithoutRouteIsNeverOverwritten() {
        Balancer b = balancer(m("a").route("n1")).sticky("JSESSIONID").with(new ByRequests(), ON);
        assertNull(b.routeCookie(b.select("/", List.of("JSESSIONID=PLAINID"), T0)));
    }

    @Test
    void aMemberWithoutRouteGetsNoCookie() {
        Balancer b = balancer(m("a")).sticky("ROUTEID").with(new ByRequests(), ON);
        assertNull(b.routeCookie(b.select("/", null, T0)));
    }

    @Test
    void aValueThatIsNotAValidCookieIsNotWritten() {
        Balancer b = nodes().with(new ByRequests(), ON);
        b.member("http://b").set(StatusFlag.DISABLED, true);
        assertEquals("ROUTEID=x.n1; path=/", b.routeCookie(b.select("/", List.of("ROUTEID= x.n2"), T0)),
                "surrounding blanks are dropped");
        assertNull(b.routeCookie(b.select("/", List.of("ROUTEID=a\"b.n2"), T0)));
    }

    @Test
    void offByDefaultAndNeverFor503sOrNonStickyBalancers() {
        Balancer plain = nodes().byRequests();
        assertNull(plain.routeCookie(plain.select("/", null, T0)));
        Balancer notSticky = balancer(m("a").route("n1")).with(new ByRequests(), ON);
        assertNull(notSticky.routeCookie(notSticky.select("/", null, T0)));
        Balancer dead = balancer(m("a").route("n1").status("D")).sticky("ROUTEID").with(new ByRequests(), ON);
        assertNull(dead.routeCookie(dead.select("/", null, T0)));
    }
}
