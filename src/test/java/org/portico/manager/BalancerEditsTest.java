package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerConfigs;
import org.portico.balancer.BalancerEdit;
import org.portico.balancer.FailoverPolicy;
import org.portico.balancer.Worker;
import org.portico.config.StatusFlag;
import org.portico.proxy.Gateway;

/**
 * What the balancer does with a manager edit (spec §8, §4.3): swaps take effect for the next selection,
 * a new lbmethod starts from its reset, a loadfactor change recalculates lbstatus, a re-enabled member
 * resets the method, added members fill growth slots.
 */
class BalancerEditsTest {

    private Gateway gateway;
    private Balancer b;

    @BeforeEach
    void start() throws Exception {
        gateway = Fixtures.gateway("""
                <balancer name="abc" growth="1">
                  <member url="http://a"/> <member url="http://b"/> <member url="http://c"/>
                </balancer>
                """);
        b = gateway.balancer("abc");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private String sequence(int n) {
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < n; i++) {
            Worker w = b.selectWithoutSession(0).worker();
            j.add(w == null ? "-" : w.config().host());
        }
        return j.toString();
    }

    private void loadfactor(String member, int lbfactor) throws Exception {
        new EditValidator(gateway.lbMethods(), Map.of(), false)
                .validate(Fixtures.params("w", member, "w_lf", Double.toString(lbfactor / 100.0)), b).apply(gateway);
    }

    @Test
    void aLoadfactorChangeRecalculatesEveryLbstatusAndTakesEffectAtOnce() throws Exception {
        assertEquals("a b c a b c", sequence(6));
        loadfactor("http://c", 300);
        for (Worker w : b.members()) {
            assertEquals(w.config().params().lbfactor(), w.lbstatus(), "recalc_factors: lbstatus = lbfactor");
        }
        // from lbstatus a=100 b=100 c=300 (not from zero): still 1:1:3 in every five requests
        assertEquals("c c a b c", sequence(5));
    }

    @Test
    void disablingAMemberTakesItOutOfTheNextSelectionAndReEnablingResets() {
        Worker bw = b.member("http://b");
        b.updateMember(bw, bw.config(), Map.of(StatusFlag.DISABLED, true));
        assertEquals("a c a c", sequence(4));
        b.selectWithoutSession(0).worker();
        b.updateMember(bw, bw.config(), Map.of(StatusFlag.DISABLED, false));
        for (Worker w : b.members()) {
            assertEquals(0, w.lbstatus(), "a member that became usable resets byrequests");
        }
        assertEquals("a b c", sequence(3));
    }

    @Test
    void aNewLbmethodStartsFromItsReset() {
        sequence(2);
        b.reconfigure(BalancerConfigs.withSettings(b.config(), "bytraffic", "", "", false, null, null),
                gateway.lbMethods().create("bytraffic"));
        assertEquals("bytraffic", b.method().name());
        assertEquals("bytraffic", b.config().lbmethod());
        assertEquals("a", sequence(1), "no traffic counted yet: the first member");
    }

    @Test
    void theErrorFlagCannotBeEdited() {
        Worker a = b.member("http://a");
        assertThrows(IllegalArgumentException.class, () -> b.updateMember(a, a.config(), Map.of(StatusFlag.IN_ERROR, false)));
    }

    @Test
    void membersAreAddedIntoGrowthSlotsDisabledAndSeenByTheConfigAndFailoverRules() {
        assertEquals(2, FailoverPolicy.of(b.config()).maxAttempts());
        Worker d = gateway.addMember("abc", "http://d");
        assertEquals("Init Dis ", d.statusString());
        assertEquals(4, b.members().size());
        assertEquals(4, b.config().members().size());
        assertEquals(3, FailoverPolicy.of(b.config()).maxAttempts(), "httpd's default maxattempts follows the members");
        assertEquals("a b c", sequence(3), "disabled: no traffic yet");
        b.updateMember(d, d.config(), Map.of(StatusFlag.DISABLED, false));
        assertEquals("a b c d", sequence(4));
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> gateway.addMember("abc", "http://e"));
        assertTrue(full.getMessage().contains("no free growth slot (MaxMembers 4, 4 used)"), full.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> gateway.addMember("abc", "http://a/"));
        assertTrue(twice.getMessage().contains("already a member"), twice.getMessage());
    }

    @Test
    void oneRequestThatAddsAMemberAndChangesTheBalancerAndAMemberIsOneEdit() throws Exception {
        EditPlan plan = new EditValidator(gateway.lbMethods(), Map.of(), false).validate(Fixtures.params(
                "b_nwrkr", "http://d", "b_wyes", "1", "b_lbm", "bytraffic", "w", "http://b", "w_status_D", "1",
                "w_lf", "2"), b);
        BalancerEdit edit = plan.edit();
        assertEquals("http://d", edit.newMember().name());
        assertEquals("bytraffic", edit.settings().lbmethod());
        assertEquals("bytraffic", edit.method().name());
        assertSame(b.member("http://b"), edit.member());
        assertEquals(Map.of(StatusFlag.DISABLED, true), edit.memberFlags());
        plan.apply(gateway);
        assertEquals(4, b.config().members().size());
        assertEquals("bytraffic", b.method().name());
        assertEquals("Init Dis ", b.member("http://b").statusString());
        assertEquals(200, b.config().members().get(1).params().lbfactor(), "the config's members are the edited ones");
        assertEquals("Init Dis ", b.member("http://d").statusString());
    }

    @Test
    void aGeneratedNonceStaysTheSameAcrossEdits() {
        String nonce = b.nonce();
        assertNotNull(nonce);
        assertTrue(nonce.matches("[0-9a-f-]{36}"), nonce);
        b.reconfigure(BalancerConfigs.withSettings(b.config(), "byrequests", "S", "S", true, 1, null), null);
        assertEquals(nonce, b.nonce());
        assertEquals(nonce, b.config().nonce());
    }
}
