package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;
import static org.portico.balancer.TestBalancers.sequence;

import org.junit.jupiter.api.Test;

/** bytraffic: fewest bytes per loadfactor, integer divisions, earliest on ties (spec §4.5). */
class ByTrafficTest {

    @Test
    void theMemberWithTheLeastTrafficWins() {
        Balancer b = balancer(m("a"), m("b"), m("c")).with(new ByTraffic());
        b.member("http://a").addBytesRead(5000);
        b.member("http://b").addBytesTransferred(1000);
        b.member("http://c").addBytesRead(3000);
        assertEquals("b", sequence(b, 1, T0));
    }

    @Test
    void tiesGoToTheEarlierMember() {
        Balancer b = balancer(m("a"), m("b"), m("c")).with(new ByTraffic());
        assertEquals("a a a", sequence(b, 3, T0), "no traffic is reported, so nothing changes");
        b.member("http://a").addBytesRead(100);
        b.member("http://b").addBytesRead(100);
        b.member("http://c").addBytesRead(100);
        assertEquals("a", sequence(b, 1, T0));
    }

    @Test
    void trafficIsDividedByTheLbfactorWithIntegerDivisions() {
        // lbfactor 100 (loadfactor 1): 199/100 + 199/100 = 1 + 1 = 2, not 398/100 = 3
        Balancer b = balancer(m("a"), m("b")).with(new ByTraffic());
        b.member("http://a").addBytesTransferred(199);
        b.member("http://a").addBytesRead(199);
        b.member("http://b").addBytesRead(300);
        assertEquals(2, ByTraffic.traffic(b.member("http://a")));
        assertEquals(3, ByTraffic.traffic(b.member("http://b")));
        assertEquals("a", sequence(b, 1, T0));
    }

    @Test
    void belowOneLbfactorOfBytesCountsAsNothing() {
        Balancer b = balancer(m("a"), m("b")).with(new ByTraffic());
        b.member("http://a").addBytesRead(99);
        assertEquals(0, ByTraffic.traffic(b.member("http://a")));
        assertEquals("a", sequence(b, 1, T0), "a tie at zero goes to the earlier member");
    }

    @Test
    void aHigherLoadfactorCarriesProportionallyMore() {
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(4)).with(new ByTraffic());
        b.member("http://a").addBytesRead(1000);
        b.member("http://b").addBytesRead(3900);
        assertEquals("b", sequence(b, 1, T0), "3900/400 = 9 < 1000/100 = 10");
        b.member("http://b").addBytesRead(100);
        assertEquals("a", sequence(b, 1, T0), "4000/400 = 10: a tie, the earlier member");
    }

    @Test
    void lbstatusIsNotUsed() {
        Balancer b = balancer(m("a"), m("b")).with(new ByTraffic());
        sequence(b, 5, T0);
        assertEquals(0, b.member("http://a").lbstatus());
        assertEquals(0, b.member("http://b").lbstatus());
    }

    @Test
    void resetZeroesTheCounters() {
        Balancer b = balancer(m("a"), m("b")).with(new ByTraffic());
        b.member("http://a").addBytesRead(1000);
        b.member("http://a").addBytesTransferred(1000);
        assertEquals("b", sequence(b, 1, T0));
        b.resetLbMethod();
        assertEquals(0, b.member("http://a").bytesRead());
        assertEquals(0, b.member("http://a").bytesTransferred());
        assertEquals("a", sequence(b, 1, T0));
    }

    @Test
    void hotStandbyAndLbsetsFollowTheSkeleton() {
        Balancer b = balancer(m("a"), m("b"), m("s").status("H"), m("z").lbset(1)).with(new ByTraffic());
        b.member("http://a").addBytesRead(10_000);
        b.member("http://b").addBytesRead(20_000);
        assertEquals("a", sequence(b, 1, T0), "an idle standby or lbset 1 member does not take over");
        b.member("http://a").markError(T0);
        b.member("http://b").markError(T0);
        assertEquals("s", sequence(b, 1, T0 + 1));
    }

    @Test
    void nameIsBytraffic() {
        assertEquals("bytraffic", new ByTraffic().name());
    }
}
