package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.portico.balancer.TestBalancers.T0;
import static org.portico.balancer.TestBalancers.balancer;
import static org.portico.balancer.TestBalancers.m;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portico.config.StatusFlag;

/** The heartbeat lbmethod: random by reported idle threads, ignoring factors and tiers (spec §4.6). */
class HeartbeatTest {

    @TempDir
    Path dir;

    private Heartbeat heartbeat(String file, ScriptedRandom random) throws IOException {
        Path f = dir.resolve("hb.dat");
        Files.writeString(f, file);
        return new Heartbeat(new HeartbeatStorage(f), random);
    }

    private static String host(Worker w) {
        return w == null ? null : TestBalancers.host(w);
    }

    @Test
    void picksByTheLastIntervalContainingTheRandomPoint() throws IOException {
        // ready 4 and 6: intervals [0,4] and [4,10]; the pick is drawn from [0, 10]
        ScriptedRandom r = new ScriptedRandom(0, 3, 4, 5, 10);
        Balancer b = balancer(m("10.0.0.1"), m("10.0.0.2")).with(heartbeat(
                "10.0.0.1 busy=1&ready=4&lastseen=1\n10.0.0.2 busy=1&ready=6&lastseen=1\n", r));
        assertEquals("10.0.0.1", host(b.selectWithoutSession(T0).worker()));
        assertEquals(11, r.lastBound(), "both ends of [0, openslots] can be drawn");
        assertEquals("10.0.0.1", host(b.selectWithoutSession(T0).worker()));
        assertEquals("10.0.0.2", host(b.selectWithoutSession(T0).worker()), "4 is in both intervals: the later one wins");
        assertEquals("10.0.0.2", host(b.selectWithoutSession(T0).worker()));
        assertEquals("10.0.0.2", host(b.selectWithoutSession(T0).worker()));
    }

    @Test
    void aMemberReportingNoReadyThreadCanStillWinAtItsBoundary() {
        // httpd's walk: a ready=0 member after a ready=5 one owns [5,5], and a pick of 5 lands there
        ScriptedRandom r = new ScriptedRandom(5, 4);
        Balancer b = balancer(m("10.0.0.1"), m("10.0.0.2")).with(new Heartbeat(
                storage("10.0.0.1 busy=1&ready=5\n10.0.0.2 busy=1&ready=0\n"), r));
        assertEquals("10.0.0.2", host(b.selectWithoutSession(T0).worker()));
        assertEquals("10.0.0.1", host(b.selectWithoutSession(T0).worker()));
    }

    @Test
    void anIdleServerCountsAQuarterOfItsReadyThreads() {
        ScriptedRandom r = new ScriptedRandom(1);
        Balancer b = balancer(m("10.0.0.1"), m("10.0.0.2")).with(new Heartbeat(
                storage("10.0.0.1 busy=0&ready=8\n10.0.0.2 busy=1&ready=8\n"), r));
        assertEquals("10.0.0.1", host(b.selectWithoutSession(T0).worker()));
        assertEquals(11, r.lastBound(), "open slots = 8/4 + 8 = 10");
    }

    @Test
    void serversNotSeenForTenSecondsAreLeftOut() {
        ScriptedRandom r = new ScriptedRandom(0, 0);
        Balancer b = balancer(m("10.0.0.1"), m("10.0.0.2")).with(new Heartbeat(
                storage("10.0.0.1 busy=1&ready=5&lastseen=10\n10.0.0.2 busy=1&ready=5&lastseen=9\n"), r));
        assertEquals("10.0.0.2", host(b.selectWithoutSession(T0).worker()));
        assertEquals(6, r.lastBound());
    }

    @Test
    void membersNotInTheFileAreLeftOut() {
        Balancer b = balancer(m("10.0.0.1"), m("10.0.0.3")).with(new Heartbeat(
                storage("10.0.0.1 busy=1&ready=5\n10.0.0.2 busy=1&ready=500\n"), new ScriptedRandom(5)));
        assertEquals("10.0.0.1", host(b.selectWithoutSession(T0).worker()));
    }

    @Test
    void membersAreMatchedByTheirHostAsWrittenNotByPort() {
        Balancer b = balancer(m("10.0.0.1:8080")).with(new Heartbeat(
                storage("10.0.0.1 busy=1&ready=5&port=9999\n"), new ScriptedRandom(1)));
        assertEquals("10.0.0.1", host(b.selectWithoutSession(T0).worker()));
    }

    @Test
    void anIpv6MemberMatchesItsAddressWithoutBrackets() {
        Balancer b = balancer(m("[::1]:8080")).with(new Heartbeat(
                storage("::1 busy=1&ready=5\n"), new ScriptedRandom(1)));
        assertEquals("[::1]", host(b.selectWithoutSession(T0).worker()));
    }

    @Test
    void unusableMembersAreLeftOutAndErrorMembersRetried() {
        ScriptedRandom r = new ScriptedRandom(0, 10);
        Balancer b = balancer(m("10.0.0.1").status("D"), m("10.0.0.2"), m("10.0.0.3").retry(Duration.ZERO))
                .with(new Heartbeat(storage("10.0.0.1 busy=1&ready=5\n10.0.0.2 busy=1&ready=5\n10.0.0.3 busy=1&ready=5\n"), r));
        b.member("http://10.0.0.3").markError(T0);
        assertEquals("10.0.0.2", host(b.selectWithoutSession(T0).worker()), "10.0.0.3's retry=0 has not passed in the same millisecond");
        assertEquals(6, r.lastBound());
        assertEquals("10.0.0.3", host(b.selectWithoutSession(T0 + 1).worker()), "retried, it is back with its own interval [5, 10]");
        assertEquals(11, r.lastBound());
    }

    @Test
    void loadfactorLbsetStandbySpareAndDrainAreIgnored() {
        ScriptedRandom r = new ScriptedRandom(0, 0, 0, 0);
        Balancer b = balancer(m("10.0.0.1").status("H").loadfactor(100).lbset(3), m("10.0.0.2").status("N"))
                .with(new Heartbeat(storage("10.0.0.1 busy=1&ready=5\n10.0.0.2 busy=1&ready=5\n"), r));
        assertEquals("10.0.0.1", host(b.selectWithoutSession(T0).worker()), "a standby in lbset 3 competes like anyone");
        b.member("http://10.0.0.1").set(StatusFlag.DISABLED, true);
        assertEquals("10.0.0.2", host(b.selectWithoutSession(T0).worker()), "drain does not make a member unusable");
    }

    @Test
    void noOpenSlotsMeansNoWorker() {
        Balancer b = balancer(m("10.0.0.1")).with(new Heartbeat(storage("10.0.0.1 busy=5&ready=0\n"), new ScriptedRandom()));
        assertNull(b.selectWithoutSession(T0).worker());
    }

    @Test
    void anUnreadableFileMeansNoWorker() {
        Balancer b = balancer(m("10.0.0.1")).with(new Heartbeat(new HeartbeatStorage(dir.resolve("none")), null));
        assertNull(b.selectWithoutSession(T0).worker());
    }

    @Test
    void overManyPicksTheSharesFollowTheReadyCounts() {
        SplittableRandom seeded = new SplittableRandom(42);
        Balancer b = balancer(m("10.0.0.1"), m("10.0.0.2")).with(new Heartbeat(
                storage("10.0.0.1 busy=1&ready=100\n10.0.0.2 busy=1&ready=300\n"), seeded));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            counts.merge(host(b.selectWithoutSession(T0).worker()), 1, Integer::sum);
        }
        double share = counts.get("10.0.0.2") / 40_000.0;
        assertEquals(0.75, share, 0.02);
    }

    @Test
    void theDefaultRandomSourceWorks() {
        Balancer b = balancer(m("10.0.0.1")).with(new Heartbeat(storage("10.0.0.1 busy=1&ready=3\n"), null));
        assertSame(b.member("http://10.0.0.1"), b.selectWithoutSession(T0).worker());
    }

    private HeartbeatStorage storage(String text) {
        try {
            Path f = Files.createTempFile(dir, "hb", ".dat");
            Files.writeString(f, text);
            return new HeartbeatStorage(f);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
