package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;
import static org.portico.balancer.TestBalancers.sequence;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** byrequests' exact sequences (spec §4.3). */
class ByRequestsTest {

    @Test
    void oneToTwoGoesBAB() {
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(2)).byRequests();
        assertEquals("b a b b a b b a b", sequence(b, 9, T0));
    }

    @Test
    void seventyToThirtyFollowsTheManualsTable() {
        Balancer b = balancer(m("a").loadfactor(70), m("b").loadfactor(30)).byRequests();
        String ten = "a b a a a b a a b a";
        assertEquals(ten + " " + ten + " " + ten, sequence(b, 30, T0));
    }

    @Test
    void oneOneThreeGoesCACBC() {
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(1), m("c").loadfactor(3)).byRequests();
        assertEquals("c a c b c c a c b c", sequence(b, 10, T0));
    }

    @Test
    void oneOneOneTwoGoesDABCD() {
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(1), m("c").loadfactor(1), m("d").loadfactor(2))
                .byRequests();
        assertEquals("d a b c d d a b c d", sequence(b, 10, T0));
    }

    @Test
    void fourEqualWithBDisabledGoesACD() {
        Balancer b = balancer(m("a").loadfactor(25), m("b").loadfactor(25).status("D"), m("c").loadfactor(25),
                m("d").loadfactor(25)).byRequests();
        assertEquals("a c d a c d a c d", sequence(b, 9, T0));
    }

    @Test
    void equalFactorsRoundRobinInConfigurationOrder() {
        Balancer b = balancer(m("a"), m("b"), m("c")).byRequests();
        assertEquals("a b c a b c", sequence(b, 6, T0));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void countsAreExactlyProportionalOverWholeCycles(int cycles) {
        Balancer b = balancer(m("a").loadfactor(3), m("b").loadfactor(5), m("c").loadfactor(2)).byRequests();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < cycles * 10; i++) {
            counts.merge(TestBalancers.host(b.selectWithoutSession(T0).worker()), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 3 * cycles, "b", 5 * cycles, "c", 2 * cycles), counts);
        for (Worker w : b.members()) {
            assertEquals(0, w.lbstatus(), "every lbstatus is back at zero after whole cycles");
        }
    }

    @Test
    void fractionalLoadfactorsKeepTheirRatio() {
        Balancer b = balancer(m("a").loadfactor(1.5), m("b").loadfactor(3)).byRequests();
        assertEquals("b a b b a b", sequence(b, 6, T0));
    }

    @Test
    void resetZeroesLbstatus() {
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(2)).byRequests();
        b.selectWithoutSession(T0).worker();
        b.resetLbMethod();
        for (Worker w : b.members()) {
            assertEquals(0, w.lbstatus());
        }
        assertEquals("b a b", sequence(b, 3, T0), "after reset the cycle starts over");
    }

    @Test
    void eachChoiceCountsOneElection() {
        Balancer b = balancer(m("a").loadfactor(1), m("b").loadfactor(2)).byRequests();
        sequence(b, 30, T0);
        assertEquals(10, b.member("http://a").electedCount());
        assertEquals(20, b.member("http://b").electedCount());
    }

    @Test
    void selectionNeverTouchesBusy() {
        Balancer b = balancer(m("a"), m("b")).byRequests();
        sequence(b, 10, T0);
        for (Worker w : b.members()) {
            assertEquals(0, w.busy());
        }
    }
}
