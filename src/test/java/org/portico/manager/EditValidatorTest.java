package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.manager.Fixtures.params;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.config.StatusFlag;
import org.portico.proxy.Gateway;

/** Every field of httpd's manager forms: what it changes, and the 400 with a message for what it refuses. */
class EditValidatorTest {

    private static final String M1 = "http://127.0.0.1:9";
    private Gateway gateway;
    private Balancer cluster;
    private EditValidator validator;

    @BeforeEach
    void start() throws Exception {
        gateway = Fixtures.gateway(Fixtures.CLUSTER);
        cluster = gateway.balancer("cluster");
        validator = new EditValidator(gateway.lbMethods(), gateway.descriptor().hcExprs(), true);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private void apply(String... nameValues) throws EditRefused {
        validator.validate(params(nameValues), cluster).apply(gateway);
    }

    private String refused(String... nameValues) {
        EditRefused e = assertThrows(EditRefused.class, () -> apply(nameValues));
        assertEquals(400, e.status(), e.getMessage());
        return e.getMessage();
    }

    private Worker m1() {
        return cluster.member(M1);
    }

    @Test
    void workerFieldsChangeLoadfactorLbsetRouteAndRedirect() throws Exception {
        apply("b", "cluster", "w", M1, "w_lf", "2.5", "w_ls", "3", "w_wr", "new", "w_rr", "r2");
        var p = m1().config().params();
        assertEquals(250, p.lbfactor());
        assertEquals(3, p.lbset());
        assertEquals("new", p.route());
        assertEquals("r2", p.redirect());
    }

    @Test
    void emptyRouteAndRedirectClearThem() throws Exception {
        apply("b", "cluster", "w", M1, "w_wr", "", "w_rr", "");
        assertEquals("", m1().config().params().route());
    }

    @Test
    void emptyNumbersLeaveValuesAsTheyAre() throws Exception {
        apply("b", "cluster", "w", M1, "w_lf", "", "w_ls", "", "b_tmo", "", "b_max", "");
        assertEquals(100, m1().config().params().lbfactor());
        assertNull(cluster.config().maxAttempts());
    }

    @Test
    void everyEditableFlagIsSetAndClearedByItsHttpdField() throws Exception {
        for (char letter : "INDHRSC".toCharArray()) {
            StatusFlag f = StatusFlag.ofLetter(letter);
            apply("b", "cluster", "w", M1, "w_status_" + letter, "1");
            assertTrue(m1().has(f), "set " + letter);
            apply("b", "cluster", "w", M1, "w_status_" + letter, "0");
            assertFalse(m1().has(f), "cleared " + letter);
        }
    }

    @Test
    void flagsAcceptOnOffAndTrueFalseToo() throws Exception {
        apply("b", "cluster", "w", M1, "w_status_D", "on");
        assertTrue(m1().has(StatusFlag.DISABLED));
        apply("b", "cluster", "w", M1, "w_status_D", "false");
        assertFalse(m1().has(StatusFlag.DISABLED));
    }

    @Test
    void theErrorFlagIsNotEditable() {
        String m = refused("b", "cluster", "w", M1, "w_status_E", "0");
        assertTrue(m.startsWith("w_status_E: the error state (E) cannot be set or cleared by hand"), m);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "w_lf|0|w_lf (loadfactor): '0' is out of range: use a number from 1 to 100",
            "w_lf|101|w_lf (loadfactor): '101' is out of range: use a number from 1 to 100",
            "w_lf|0.99|w_lf (loadfactor): '0.99' is out of range",
            "w_lf|two|w_lf (loadfactor): 'two' is not a number: use a number from 1 to 100",
            "w_ls|100|w_ls (lbset): '100' is out of range: use a whole number from 0 to 99",
            "w_ls|-1|w_ls (lbset): '-1' is out of range: use a whole number from 0 to 99",
            "w_ls|1.5|w_ls (lbset): '1.5' is not a whole number: use a whole number from 0 to 99",
            "w_wr|a b|w_wr (route): 'a b' is not allowed: use at most 63 visible ASCII characters",
            "w_rr|x;y|w_rr (redirect): 'x;y' is not allowed",
            "w_status_D|maybe|w_status_D: 'maybe' is not a flag value: use 1 (on) or 0 (off)",
            "w_status_X|1|w_status_X is not a status flag field: use w_status_X with X one of INDHRSC",
            "w_hm|PING|w_hm (hcmethod): 'PING' is not a health-check method: use NONE, TCP, OPTIONS",
            "w_hi|50|w_hi (hcinterval): '50' is out of range: use a whole number of ms",
            "w_hi|soon|w_hi (hcinterval): 'soon' is not a duration",
            "w_hp|0|w_hp (hcpasses): '0' is out of range: use a whole number from 1 to 100000",
            "w_hf|0|w_hf (hcfails): '0' is out of range",
            "w_he|nope|w_he (hcexpr): there is no hc-expr named 'nope' (defined: ok)",
            "w_frob|1|w_frob is not a balancer-manager field: use w_lf"})
    void workerValuesOutOfRangeOrMalformedAreRefusedNamingTheField(String field, String value, String message) {
        String m = refused("b", "cluster", "w", M1, field, value);
        assertTrue(m.startsWith(message), m);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "b_lbm|roundrobin|b_lbm (lbmethod): 'roundrobin' is not a registered lbmethod: use one of bybusyness, bylatency, byrequests, bytraffic, heartbeat",
            "b_lbm|ByRequests|b_lbm (lbmethod): 'ByRequests' is not a registered lbmethod",
            "b_tmo|7201|b_tmo (timeout, seconds): '7201' is out of range: use a whole number from 0 to 7200",
            "b_max|100|b_max (maxattempts): '100' is out of range: use a whole number from 0 to 99",
            "b_sforce|yes please|b_sforce: 'yes please' is not a flag value",
            "b_ss|a b|b_ss (stickysession): 'a b' is not NAME or COOKIE|PARAMETER",
            "b_ss|a;b|b_ss (stickysession): 'a;b' is not NAME or COOKIE|PARAMETER"})
    void balancerValuesOutOfRangeOrMalformedAreRefusedNamingTheField(String field, String value, String message) {
        String m = refused("b", "cluster", field, value);
        assertTrue(m.startsWith(message), m);
    }

    @Test
    void balancerFieldsChangeMethodTimeoutAttemptsFailoverAndStickiness() throws Exception {
        apply("b", "cluster", "b_lbm", "bytraffic", "b_tmo", "5", "b_max", "2", "b_sforce", "1", "b_ss", "JSESSIONID|jsessionid");
        var c = cluster.config();
        assertEquals("bytraffic", c.lbmethod());
        assertEquals("bytraffic", cluster.method().name());
        assertEquals(Duration.ofSeconds(5), c.timeout());
        assertEquals(2, c.maxAttempts());
        assertTrue(c.noFailover());
        assertEquals("JSESSIONID", c.stickyCookie());
        assertEquals("jsessionid", c.stickyPath());
        apply("b", "cluster", "b_ss", "-");
        assertFalse(cluster.config().sticky());
    }

    @Test
    void nothingIsHalfAppliedWhenOneFieldIsBad() {
        refused("b", "cluster", "w", M1, "w_lf", "5", "w_ls", "100", "b_lbm", "bytraffic");
        assertEquals(100, m1().config().params().lbfactor());
        assertEquals("byrequests", cluster.method().name());
    }

    @Test
    void workerFieldsNeedAMemberAndAKnownOne() {
        assertTrue(refused("b", "cluster", "w_lf", "2").startsWith("w_lf changes a member: name it with w"));
        String m = refused("b", "cluster", "w", "http://127.0.0.1:12", "w_lf", "2");
        assertTrue(m.startsWith("w: balancer://cluster has no member 'http://127.0.0.1:12' (members: "), m);
    }

    @Test
    void aNewMemberStartsDisabledInAGrowthSlot() throws Exception {
        apply("b", "cluster", "b_nwrkr", "http://127.0.0.1:12/", "b_wyes", "1");
        Worker added = cluster.member("http://127.0.0.1:12");
        assertTrue(added.has(StatusFlag.DISABLED));
        assertEquals("Init Dis ", added.statusString());
        assertEquals(5, cluster.maxMembers());
        assertEquals(3, cluster.members().size());
    }

    @Test
    void httpdsDoubleEscapedMemberUrlIsUnderstood() throws Exception {
        apply("b", "cluster", "b_nwrkr", "http%3A%2F%2F127.0.0.1%3A13", "b_wyes", "1");
        assertTrue(cluster.member("http://127.0.0.1:13") != null);
    }

    @Test
    void aNewMemberIsRefusedWithoutConfirmationHostOrSlot() throws Exception {
        assertTrue(refused("b", "cluster", "b_nwrkr", "http://127.0.0.1:12").startsWith(
                "b_wyes: adding member 'http://127.0.0.1:12' needs the confirmation box ticked (b_wyes=1)"));
        String noHost = refused("b", "cluster", "b_nwrkr", "http:///x", "b_wyes", "1");
        assertTrue(noHost.startsWith("b_nwrkr (new member URL): 'http:///x' has no host: write http://host"), noHost);
        String fcgi = refused("b", "cluster", "b_nwrkr", "fcgi://[0:0:0:0:0:0:0:1]:8080", "b_wyes", "1");
        assertTrue(fcgi.contains("scheme fcgi:// is not supported"), fcgi);
        String exists = refused("b", "cluster", "b_nwrkr", M1 + "/", "b_wyes", "1");
        assertEquals("b_nwrkr (new member URL): http://127.0.0.1:9 is already a member of balancer://cluster", exists);
        String full = assertThrows(EditRefused.class, () -> validator.validate(
                params("b", "full", "b_nwrkr", "http://127.0.0.1:12", "b_wyes", "1"), gateway.balancer("full"))).getMessage();
        assertTrue(full.startsWith("b_nwrkr (new member URL): balancer://full has no free growth slot: MaxMembers is 1 "
                + "and 1 are used"), full);
    }

    @Test
    void healthCheckFieldsChangeTheMembersCheck() throws Exception {
        apply("b", "cluster", "w", M1, "w_hm", "get", "w_hi", "5s", "w_hp", "2", "w_hf", "3", "w_hu", "/up", "w_he", "ok");
        var hc = m1().config().params().healthCheck();
        assertEquals("GET", hc.method());
        assertEquals(Duration.ofSeconds(5), hc.interval());
        assertEquals(2, hc.passes());
        assertEquals(3, hc.fails());
        assertEquals("/up", hc.uri());
        assertEquals("ok", hc.expr());
        apply("b", "cluster", "w", M1, "w_hm", "TCP", "w_hi", "250");
        assertEquals("", m1().config().params().healthCheck().expr(), "TCP reads no response: hcexpr cleared");
        assertEquals(Duration.ofMillis(250), m1().config().params().healthCheck().interval(), "ms is the default unit");
    }

    @Test
    void discardingStateNeedsPersistence() throws Exception {
        EditValidator off = new EditValidator(gateway.lbMethods(), gateway.descriptor().hcExprs(), false);
        EditRefused e = assertThrows(EditRefused.class, () -> off.validate(params("b", "cluster", "discard_state", "1"), cluster));
        assertTrue(e.getMessage().startsWith("discard_state: balancer persistence is off"), e.getMessage());
        assertTrue(validator.validate(params("b", "cluster", "discard_state", "1"), cluster).discardState);
    }

    @Test
    void unknownFieldsOutsideTheManagersAreReportedNotRefused() throws Exception {
        EditPlan plan = validator.validate(params("b", "cluster", "submit", "Submit", "w", M1, "w_lf", "3"), cluster);
        assertEquals(java.util.List.of("submit"), plan.ignored);
        assertEquals(java.util.List.of("http://127.0.0.1:9: loadfactor 1.00 -> 3.00"), plan.changes());
    }
}
