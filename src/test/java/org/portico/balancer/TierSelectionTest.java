package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;
import static org.portico.balancer.TestBalancers.sequence;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.config.StatusFlag;

/** httpd's selection skeleton: lbset tiers, spares, standbys, drain, retry (spec §4.2, §4.7), with byrequests. */
class TierSelectionTest {

    private static List<String> hosts(List<Worker> ws) {
        return ws.stream().map(TestBalancers::host).toList();
    }

    @Test
    void lowerLbsetIsUsedWhileItHasAUsableMember() {
        Balancer b = balancer(m("a").lbset(1), m("b"), m("c").lbset(1)).byRequests();
        assertEquals("b b b", sequence(b, 3, T0));
    }

    @Test
    void higherLbsetTakesOverWhenTheLowerTierIsInError() {
        Balancer b = balancer(m("a").status("E"), m("b").status("E"), m("c").lbset(1)).byRequests();
        b.member("http://a").markError(T0);
        b.member("http://b").markError(T0);
        assertEquals("c c", sequence(b, 2, T0 + 1000));
    }

    @Test
    void anErrorMemberIsRetriedDuringSelectionOnceItsRetryHasPassed() {
        Balancer b = balancer(m("a").retry(Duration.ofSeconds(5)), m("c").lbset(1)).byRequests();
        Worker a = b.member("http://a");
        a.markError(T0);
        assertEquals("c", sequence(b, 1, T0 + 5000), "not before error_time + retry has passed");
        assertEquals("a", sequence(b, 1, T0 + 5001));
        assertFalse(a.has(StatusFlag.IN_ERROR));
        assertEquals(1, a.retries());
    }

    @Test
    void gapsBetweenLbsetsAreSkipped() {
        Balancer b = balancer(m("a").status("D"), m("z").lbset(7)).byRequests();
        assertEquals("z z", sequence(b, 2, T0));
    }

    @Test
    void hotStandbyServesOnlyWhenNoRegularMemberOfItsLbsetCan() {
        Balancer b = balancer(m("a"), m("s").status("H")).byRequests();
        assertEquals("a a", sequence(b, 2, T0));
        b.member("http://a").set(StatusFlag.DISABLED, true);
        assertEquals("s s", sequence(b, 2, T0));
    }

    @Test
    void hotStandbyOfLbsetZeroBeatsRegularMembersOfLbsetOne() {
        Balancer b = balancer(m("a").status("D"), m("s").status("H"), m("c").lbset(1)).byRequests();
        assertEquals("s s", sequence(b, 2, T0));
    }

    @Test
    void hotStandbysShareTheLoadByTheirFactors() {
        Balancer b = balancer(m("a").status("D"), m("s").status("H").loadfactor(1), m("t").status("H").loadfactor(2))
                .byRequests();
        assertEquals("t s t", sequence(b, 3, T0));
    }

    @Test
    void hotSpareIsNotUsedWhileEveryRegularMemberIsUsable() {
        Balancer b = balancer(m("a"), m("b"), m("r").status("R")).byRequests();
        assertEquals("a b a b", sequence(b, 4, T0));
    }

    @Test
    void hotSpareCompetesWhenARegularMemberIsUnusable() {
        // spec §4.7: regular a(E) and b(ok), spare r: both b and r are eligible and is_best decides
        Balancer b = balancer(m("a"), m("b"), m("r").status("R")).byRequests();
        b.member("http://a").markError(T0);
        assertEquals("b r b r", sequence(b, 4, T0 + 1));
    }

    @Test
    void onlyAsManySparesAsThereAreUnusableRegularMembers() {
        Balancer b = balancer(m("a"), m("b"), m("r1").status("R"), m("r2").status("R")).byRequests();
        b.member("http://a").markError(T0);
        assertEquals("b r1 b r1", sequence(b, 4, T0 + 1), "only the first spare in configuration order");
        b.member("http://b").markError(T0);
        assertEquals("r1 r2 r1 r2", sequence(b, 4, T0 + 1));
    }

    @Test
    void aDrainingMemberIsNeverChosenButCountsAsUnusableForSpares() {
        Balancer b = balancer(m("a").status("N"), m("b"), m("r").status("R")).byRequests();
        assertEquals("b r b r", sequence(b, 4, T0));
    }

    @Test
    void aDrainingSpareOrStandbyDoesNotCountAsUnusable() {
        Balancer b = balancer(m("a"), m("r").status("R"), m("rn").status("RN"), m("hn").status("HN")).byRequests();
        assertEquals("a a", sequence(b, 2, T0));
    }

    @Test
    void onlyDrainingMembersMeansNoWorker() {
        Balancer b = balancer(m("a").status("N"), m("b").status("N")).byRequests();
        assertNull(b.selectWithoutSession(T0).worker());
    }

    @Test
    void stoppedMemberInErrorIsNeverRetried() {
        Balancer b = balancer(m("a").status("S").retry(Duration.ZERO), m("b").lbset(1)).byRequests();
        Worker a = b.member("http://a");
        a.markError(T0);
        assertEquals("b", sequence(b, 1, T0 + 3_600_000));
        assertTrue(a.has(StatusFlag.IN_ERROR));
    }

    @Test
    void disabledMemberIsNotRetriedLikeAnError() {
        Balancer b = balancer(m("a").status("D").retry(Duration.ZERO), m("b")).byRequests();
        assertEquals("b b", sequence(b, 2, T0 + 3_600_000));
    }

    @Test
    void healthCheckFailureMakesAMemberUnusable() {
        Balancer b = balancer(m("a").status("C"), m("b")).byRequests();
        assertEquals("b b", sequence(b, 2, T0));
    }

    @Test
    void ignoreErrorsMemberStaysUsable() {
        Balancer b = balancer(m("a").status("I"), m("b")).byRequests();
        b.member("http://a").markError(T0);
        assertFalse(b.member("http://a").has(StatusFlag.IN_ERROR));
        assertEquals("a b", sequence(b, 2, T0));
    }

    @Test
    void noMembersMeansNoWorker() {
        assertNull(balancer().byRequests().selectWithoutSession(T0).worker());
    }

    @Test
    void candidatesAreTheRegularMembersAndEligibleSparesOfTheLowestServingTier() {
        Balancer b = balancer(m("a"), m("b"), m("r").status("R"), m("s").status("H"), m("c").lbset(1)).byRequests();
        assertEquals(List.of("a", "b"), hosts(TierSelection.candidates(b.members(), T0)));
        b.member("http://a").markError(T0);
        assertEquals(List.of("b", "r"), hosts(TierSelection.candidates(b.members(), T0 + 1)));
        b.member("http://b").markError(T0);
        b.member("http://r").markError(T0);
        assertEquals(List.of("s"), hosts(TierSelection.candidates(b.members(), T0 + 1)));
        b.member("http://s").markError(T0);
        assertEquals(List.of("c"), hosts(TierSelection.candidates(b.members(), T0 + 1)));
        b.member("http://c").markError(T0);
        assertEquals(List.of(), TierSelection.candidates(b.members(), T0 + 1));
    }
}
