package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;
import static org.portico.balancer.TestBalancers.sequence;

import org.junit.jupiter.api.Test;

/** bybusyness: fewest requests in flight, byrequests among equals (spec §4.4). */
class ByBusynessTest {

    private static void busy(Worker w, int n) {
        for (int i = 0; i < n; i++) {
            w.requestStarted();
        }
    }

    @Test
    void theLeastBusyMemberWins() {
        Balancer b = balancer(m("a"), m("b"), m("c")).with(new ByBusyness());
        busy(b.member("http://a"), 2);
        busy(b.member("http://b"), 1);
        busy(b.member("http://c"), 3);
        assertEquals("b b b", sequence(b, 3, T0), "busy only changes when the proxy starts a request");
    }

    @Test
    void withEqualBusynessTheOrderIsExactlyByrequests() {
        Balancer busyness = balancer(m("a").loadfactor(70), m("b").loadfactor(30)).with(new ByBusyness());
        Balancer requests = balancer(m("a").loadfactor(70), m("b").loadfactor(30)).byRequests();
        assertEquals(sequence(requests, 30, T0), sequence(busyness, 30, T0));
    }

    @Test
    void equalBusynessFallsBackToLbstatusEvenWhenMembersAreBusy() {
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(2)).with(new ByBusyness());
        busy(b.member("http://a"), 4);
        busy(b.member("http://b"), 4);
        assertEquals("b a b", sequence(b, 3, T0));
    }

    @Test
    void everyEvaluatedMemberGetsByrequestsAccounting() {
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(2), m("c").loadfactor(3)).with(new ByBusyness());
        busy(b.member("http://a"), 1);
        busy(b.member("http://c"), 1);
        Worker chosen = b.selectWithoutSession(T0).worker();
        assertSame(b.member("http://b"), chosen);
        assertEquals(100, b.member("http://a").lbstatus());
        assertEquals(200 - 600, b.member("http://b").lbstatus(), "the chosen one gives back the total of all three");
        assertEquals(300, b.member("http://c").lbstatus());
    }

    @Test
    void requestsEndingMakeAMemberAttractiveAgain() {
        Balancer b = balancer(m("a"), m("b")).with(new ByBusyness());
        Worker a = b.member("http://a");
        busy(a, 1);
        assertEquals("b", sequence(b, 1, T0));
        a.requestEnded();
        busy(b.member("http://b"), 1);
        assertEquals("a", sequence(b, 1, T0));
    }

    @Test
    void tiersStillComeFirst() {
        Balancer b = balancer(m("a"), m("z").lbset(1)).with(new ByBusyness());
        busy(b.member("http://a"), 50);
        assertEquals("a a", sequence(b, 2, T0), "a busy lbset 0 member still beats an idle lbset 1 member");
    }

    @Test
    void hotStandbyIsUsedOnlyWhenRegularMembersCannot() {
        Balancer b = balancer(m("a"), m("s").status("H")).with(new ByBusyness());
        busy(b.member("http://a"), 10);
        assertEquals("a", sequence(b, 1, T0));
    }

    @Test
    void resetZeroesLbstatusButKeepsTheExactBusyCount() {
        Balancer b = balancer(m("a"), m("b")).with(new ByBusyness());
        busy(b.member("http://a"), 2);
        b.selectWithoutSession(T0).worker();
        b.resetLbMethod();
        assertEquals(0, b.member("http://a").lbstatus());
        assertEquals(0, b.member("http://b").lbstatus());
        assertEquals(2, b.member("http://a").busy());
    }

    @Test
    void nameIsBybusyness() {
        assertEquals("bybusyness", new ByBusyness().name());
    }
}
