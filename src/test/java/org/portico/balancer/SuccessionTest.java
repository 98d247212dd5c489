package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portico.config.BalancerConfig;
import org.portico.config.DescriptorLoader;
import org.portico.config.StatusFlag;

/** What a descriptor reload keeps of a running balancer, by {@link Succession}'s rule. */
class SuccessionTest {

    private static final LbMethods METHODS = LbMethods.discover(SuccessionTest.class.getClassLoader());
    private static final long NOW = 1_700_000_000_000L;

    /** Balancer {@code web} of a descriptor whose body is {@code balancer}, with blank lines above it. */
    private static BalancerConfig web(String balancer, int blankLinesAbove) throws Exception {
        String xml = "<portico xmlns=\"urn:portico:descriptor:1\">\n" + "\n".repeat(blankLinesAbove) + balancer
                + "\n<pass path=\"/\" to=\"balancer://web/\"/>\n</portico>\n";
        return DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "portico.xml", null)
                .balancer("web").orElseThrow();
    }

    private static BalancerConfig web(String balancer) throws Exception {
        return web(balancer, 0);
    }

    private static Balancer running(BalancerConfig c) {
        return new Balancer(c, METHODS.create(c.lbmethod()));
    }

    private static Succession.Next reload(BalancerConfig before, Balancer running, BalancerConfig now) {
        return Succession.next(before, running, now, METHODS, BalancerOptions.DEFAULTS);
    }

    private static final String TWO = """
            <balancer name="web" growth="2">
              <member url="http://127.0.0.1:9" route="a"/>
              <member url="http://127.0.0.1:10" route="b"/>
            </balancer>""";

    @Test
    void anUnchangedDefinitionKeepsTheVeryBalancerEvenWhenItMovedInTheFile() throws Exception {
        BalancerConfig before = web(TWO);
        Balancer b = running(before);
        Succession.Next next = reload(before, b, web(TWO, 5));
        assertSame(b, next.balancer());
        assertTrue(next.changes().isEmpty());
    }

    @Test
    void anAddedMemberIsNewAndTheOthersKeepTheirStateAndManagerEdits() throws Exception {
        BalancerConfig before = web(TWO);
        Balancer b = running(before);
        Worker a = b.member("http://127.0.0.1:9");
        Worker second = b.member("http://127.0.0.1:10");
        b.selectWithoutSession(NOW);
        b.updateMember(second, second.config(), Map.of(StatusFlag.DISABLED, true)); // a manager edit
        long elected = a.electedCount() + second.electedCount();
        Balancer next = reload(before, b, web("""
                <balancer name="web" growth="2">
                  <member url="http://127.0.0.1:9" route="a"/>
                  <member url="http://127.0.0.1:10" route="b"/>
                  <member url="http://127.0.0.1:11" route="c"/>
                </balancer>""")).balancer();
        assertNotSame(b, next);
        assertSame(a, next.member("http://127.0.0.1:9"));
        assertSame(second, next.member("http://127.0.0.1:10"));
        assertTrue(second.has(StatusFlag.DISABLED), "the manager's edit stays");
        assertEquals(elected, a.electedCount() + second.electedCount());
        Worker added = next.member("http://127.0.0.1:11");
        assertEquals(0, added.electedCount());
        assertEquals(b.nonce(), next.nonce(), "the generated nonce stays, so open manager pages go on working");
        assertEquals(b.maxMembers() + 1, next.maxMembers());
    }

    @Test
    void aRemovedMemberLeavesOnlyTheSuccessor() throws Exception {
        BalancerConfig before = web(TWO);
        Balancer b = running(before);
        Balancer next = reload(before, b, web("""
                <balancer name="web" growth="2">
                  <member url="http://127.0.0.1:10" route="b"/>
                </balancer>""")).balancer();
        assertNull(next.member("http://127.0.0.1:9"));
        assertSame(b.member("http://127.0.0.1:10"), next.member("http://127.0.0.1:10"));
        assertEquals(2, b.members().size(), "the running balancer, which in-flight requests use, is untouched");
    }

    @Test
    void aChangedLoadfactorKeepsTheMemberAndTakesTheFilesValueOnlyAtCommit() throws Exception {
        BalancerConfig before = web(TWO);
        Balancer b = running(before);
        Worker a = b.member("http://127.0.0.1:9");
        Worker second = b.member("http://127.0.0.1:10");
        b.updateMember(second, second.config().withParams(org.portico.config.WorkerParams.copy(second.config().params())
                .setLbset(1).build()), Map.of()); // a manager edit of a value the file does not change
        Succession.Next next = reload(before, b, web("""
                <balancer name="web" growth="2">
                  <member url="http://127.0.0.1:9" route="a" loadfactor="3"/>
                  <member url="http://127.0.0.1:10" route="b" status="+H"/>
                </balancer>"""));
        assertSame(a, next.balancer().member("http://127.0.0.1:9"));
        assertEquals(100, a.config().params().lbfactor(), "nothing running changes before the commit");
        assertFalse(second.has(StatusFlag.HOT_STANDBY));
        next.commit();
        assertEquals(300, a.config().params().lbfactor());
        assertTrue(second.has(StatusFlag.HOT_STANDBY), "a flag the file switched is switched");
        assertEquals(1, second.config().params().lbset(), "a manager edit of what the file left alone stays");
        assertEquals(300, next.balancer().config().members().get(0).params().lbfactor());
    }

    @Test
    void aChangedPoolParameterMakesANewMemberWithFreshState() throws Exception {
        BalancerConfig before = web(TWO);
        Balancer b = running(before);
        Worker a = b.member("http://127.0.0.1:9");
        a.markError(NOW);
        Balancer next = reload(before, b, web("""
                <balancer name="web" growth="2">
                  <member url="http://127.0.0.1:9" route="a" max="7"/>
                  <member url="http://127.0.0.1:10" route="b"/>
                </balancer>""")).balancer();
        Worker fresh = next.member("http://127.0.0.1:9");
        assertNotSame(a, fresh);
        assertFalse(fresh.has(StatusFlag.IN_ERROR));
        assertEquals(7, fresh.config().params().max());
    }

    @Test
    void managerSettingsStayUnlessTheFileChangesThemAndMembersAddedByTheManagerStay() throws Exception {
        BalancerConfig before = web(TWO);
        Balancer b = running(before);
        b.reconfigure(BalancerConfigs.withSettings(b.config(), "bybusyness", "", "", true, 1, Duration.ofSeconds(4)),
                METHODS.create("bybusyness"));
        Worker added = b.apply(BalancerEdit.NONE.withNewMember(AddedMember.config("http://127.0.0.1:12")));
        Balancer next = reload(before, b, web("""
                <balancer name="web" growth="2" timeout="9s">
                  <member url="http://127.0.0.1:9" route="a"/>
                  <member url="http://127.0.0.1:10" route="b"/>
                  <member url="http://127.0.0.1:11" route="c"/>
                </balancer>""")).balancer();
        assertEquals("bybusyness", next.method().name(), "the manager's lbmethod stays");
        assertTrue(next.config().noFailover());
        assertEquals(Duration.ofSeconds(9), next.config().timeout(), "the file changed the timeout: its value wins");
        assertSame(added, next.member("http://127.0.0.1:12"));
        assertEquals(List.of("http://127.0.0.1:9", "http://127.0.0.1:10", "http://127.0.0.1:11", "http://127.0.0.1:12"),
                next.members().stream().map(Worker::name).toList());
    }

    @Test
    void aChangedSettingTheManagerDoesNotEditGivesFreshSettingsButKeepsUnchangedMembers() throws Exception {
        BalancerConfig before = web(TWO);
        Balancer b = running(before);
        b.reconfigure(BalancerConfigs.withSettings(b.config(), "bybusyness", "", "", true, 1, null),
                METHODS.create("bybusyness"));
        Worker a = b.member("http://127.0.0.1:9");
        Balancer next = reload(before, b, web("""
                <balancer name="web" growth="2" forcerecovery="false">
                  <member url="http://127.0.0.1:9" route="a"/>
                  <member url="http://127.0.0.1:10" route="b"/>
                </balancer>""")).balancer();
        assertEquals("byrequests", next.method().name());
        assertFalse(next.config().noFailover());
        assertSame(a, next.member("http://127.0.0.1:9"));
    }
}
