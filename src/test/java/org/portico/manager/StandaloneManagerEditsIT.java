package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every balancer-manager edit through the real container by httpd's field names, as forms and as JSON,
 * and every refusal: 400 naming the field and what is allowed, 403 naming the failed check.
 */
@Timeout(60)
class StandaloneManagerEditsIT {

    private static ManagerFixture fixture;
    private static ManagerClient admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ManagerFixture();
        admin = fixture.admin;
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String error(HttpResponse<String> r) {
        return ManagerFixture.error(r);
    }

    // ------------------------------------------------------------------ edits

    @Test
    void everyHttpdWorkerFieldChangesTheMemberAtOnce() throws Exception {
        String w = "http://127.0.0.1:10";
        HttpResponse<String> r = admin.post("b", "edits", "w", w, "nonce", admin.nonce("edits"),
                "w_lf", "2.5", "w_ls", "1", "w_wr", "n2", "w_rr", "e1");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("loadfactor 1.00 -&gt; 2.50"), "the page says what changed");
        Map<String, Object> m = admin.worker("edits", w);
        assertEquals(2.5, m.get("loadfactor"));
        assertEquals(1L, m.get("lbset"));
        assertEquals("n2", m.get("route"));
        assertEquals("e1", m.get("redirect"));
        Map<String, String> labels = Map.of("I", "Ign", "N", "Drn", "D", "Dis", "H", "Stby", "R", "Spar", "S", "Stop", "C", "HcFl");
        for (String letter : List.of("I", "N", "D", "H", "R", "S", "C")) {
            assertEquals(200, admin.post("b", "edits", "w", w, "nonce", admin.nonce("edits"), "w_status_" + letter, "1").statusCode());
            String status = (String) admin.worker("edits", w).get("status");
            assertTrue(status.contains(labels.get(letter) + " "), letter + " -> " + status);
            assertEquals(200, admin.post("b", "edits", "w", w, "nonce", admin.nonce("edits"), "w_status_" + letter, "0").statusCode());
            assertFalse(((String) admin.worker("edits", w).get("status")).contains(labels.get(letter) + " "), letter);
        }
        admin.post("b", "edits", "w", w, "nonce", admin.nonce("edits"), "w_lf", "1", "w_ls", "0", "w_wr", "", "w_rr", "");
    }

    @Test
    void everyHttpdBalancerFieldChangesTheBalancerAtOnce() throws Exception {
        HttpResponse<String> r = admin.post("b", "edits", "nonce", admin.nonce("edits"), "b_lbm", "bytraffic",
                "b_tmo", "7", "b_max", "3", "b_sforce", "1", "b_ss", "JSESSIONID|jsessionid");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> b = admin.balancer("edits");
        assertEquals("bytraffic", b.get("lbmethod"));
        assertEquals(7L, b.get("timeout"));
        assertEquals(3L, b.get("maxAttempts"));
        assertEquals(Boolean.TRUE, b.get("noFailover"));
        assertEquals("JSESSIONID | jsessionid", b.get("stickySession"));
        String xml = admin.get("/balancer-manager?xml=1").body();
        assertTrue(xml.contains("<httpd:stickysession>JSESSIONID</httpd:stickysession>\n      <httpd:nofailover>On</httpd:nofailover>"));
        admin.post("b", "edits", "nonce", admin.nonce("edits"), "b_lbm", "byrequests", "b_tmo", "0", "b_sforce", "0", "b_ss", "-");
        assertEquals("(None)", admin.balancer("edits").get("stickySession"));
        assertEquals("byrequests", admin.balancer("edits").get("lbmethod"));
    }

    @Test
    void jsonPostsAreAcceptedWithTheSameFieldsAndChecks() throws Exception {
        String nonce = admin.nonce("edits");
        String body = "{\"b\":\"edits\",\"nonce\":\"" + nonce + "\",\"w\":\"http://127.0.0.1:9\",\"w_lf\":4,\"w_status_N\":true}";
        HttpResponse<String> r = admin.postJson(body, "Origin", admin.origin);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(r.body().contains("\"changes\":[\"http://127.0.0.1:9: set N (Drn)\""), r.body());
        assertEquals(4L, admin.worker("edits", "http://127.0.0.1:9").get("loadfactor"));
        HttpResponse<String> noOrigin = admin.postJson(body);
        assertEquals(403, noOrigin.statusCode());
        assertTrue(error(noOrigin).startsWith("origin: the request has neither an Origin nor a Referer header"), noOrigin.body());
        HttpResponse<String> bad = admin.postJson("{\"b\":\"edits\",\"nonce\":\"" + nonce + "\",\"w\":\"http://127.0.0.1:9\",\"w_lf\":0}",
                "Origin", admin.origin);
        assertEquals(400, bad.statusCode());
        assertEquals("w_lf (loadfactor): '0' is out of range: use a number from 1 to 100 (two decimals at most count)", error(bad));
        admin.postJson("{\"b\":\"edits\",\"nonce\":\"" + nonce + "\",\"w\":\"http://127.0.0.1:9\",\"w_lf\":1,\"w_status_N\":0}",
                "Origin", admin.origin);
    }

    // ------------------------------------------------------------------ refusals

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "w_lf|0|w_lf (loadfactor): '0' is out of range: use a number from 1 to 100",
            "w_lf|101|w_lf (loadfactor): '101' is out of range: use a number from 1 to 100",
            "w_ls|100|w_ls (lbset): '100' is out of range: use a whole number from 0 to 99",
            "w_status_E|0|w_status_E: the error state (E) cannot be set or cleared by hand",
            "b_lbm|fastest|b_lbm (lbmethod): 'fastest' is not a registered lbmethod: use one of",
            "b_tmo|-1|b_tmo (timeout, seconds): '-1' is out of range: use a whole number from 0 to 7200"})
    void outOfRangeOrMalformedValuesAre400NamingTheFieldAndChangeNothing(String field, String value, String message)
            throws Exception {
        String before = admin.get("/balancer-manager?xml=1").body();
        HttpResponse<String> r = admin.postWith(List.of("Origin", admin.origin, "Accept", "application/json"),
                "b", "edits", "nonce", admin.nonce("edits"), "w", "http://127.0.0.1:9", "w_wr", "half", field, value);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(error(r).startsWith(message), r.body());
        assertEquals(before, admin.get("/balancer-manager?xml=1").body(), "nothing half-applied");
    }

    @Test
    void theHtmlRefusalShowsTheMessageEscaped() throws Exception {
        HttpResponse<String> r = admin.post("b", "edits", "nonce", admin.nonce("edits"), "w", "http://127.0.0.1:9", "w_lf", "<b>");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("<p class=\"error\" id=\"error\">w_lf (loadfactor): &#39;&lt;b&gt;&#39; is not a number"), r.body());
    }

    @Test
    void newMembersAreRefusedWithoutHostWhenPresentOrWithoutASlot() throws Exception {
        List<String> json = List.of("Origin", admin.origin, "Accept", "application/json");
        HttpResponse<String> noHost = admin.postWith(json, "b", "edits", "nonce", admin.nonce("edits"),
                "b_nwrkr", "http://:8080", "b_wyes", "1");
        assertEquals(400, noHost.statusCode());
        assertTrue(error(noHost).startsWith("b_nwrkr (new member URL): 'http://:8080' has no host"), noHost.body());
        HttpResponse<String> present = admin.postWith(json, "b", "edits", "nonce", admin.nonce("edits"),
                "b_nwrkr", "http://127.0.0.1:9", "b_wyes", "1");
        assertEquals(400, present.statusCode());
        assertEquals("b_nwrkr (new member URL): http://127.0.0.1:9 is already a member of balancer://edits", error(present));
        HttpResponse<String> full = admin.postWith(json, "b", "full", "nonce", admin.nonce("full"),
                "b_nwrkr", "http://127.0.0.1:12", "b_wyes", "1");
        assertEquals(400, full.statusCode());
        assertTrue(error(full).startsWith("b_nwrkr (new member URL): balancer://full has no free growth slot: MaxMembers is 1"),
                full.body());
        assertEquals(1L, admin.balancer("full").get("used"));
    }

    @Test
    void csrfChecksRefuseWith403AndSayWhichFailed() throws Exception {
        String w = "http://127.0.0.1:9";
        String nonce = admin.nonce("edits");
        List<String> json = List.of("Accept", "application/json");
        HttpResponse<String> noNonce = admin.postWith(List.of("Origin", admin.origin, "Accept", "application/json"),
                "b", "edits", "w", w, "w_status_D", "1");
        assertEquals(403, noNonce.statusCode());
        assertTrue(error(noNonce).startsWith("nonce: missing"), noNonce.body());
        HttpResponse<String> wrongNonce = admin.postWith(List.of("Origin", admin.origin, "Accept", "application/json"),
                "b", "edits", "nonce", "0000", "w", w, "w_status_D", "1");
        assertEquals(403, wrongNonce.statusCode());
        assertTrue(error(wrongNonce).startsWith("nonce: it does not match balancer://edits's nonce"), wrongNonce.body());
        HttpResponse<String> crossSite = admin.postWith(List.of("Origin", "http://evil.example", "Accept", "application/json"),
                "b", "edits", "nonce", nonce, "w", w, "w_status_D", "1");
        assertEquals(403, crossSite.statusCode());
        assertTrue(error(crossSite).startsWith("origin: the Origin header names http://evil.example:80, not this manager's"),
                crossSite.body());
        HttpResponse<String> crossReferer = admin.postWith(List.of("Referer", "http://evil.example/balancer-manager",
                "Accept", "application/json"), "b", "edits", "nonce", nonce, "w", w, "w_status_D", "1");
        assertEquals(403, crossReferer.statusCode());
        assertTrue(error(crossReferer).startsWith("origin: the Referer header names http://evil.example:80"), crossReferer.body());
        HttpResponse<String> neither = admin.postWith(json, "b", "edits", "nonce", nonce, "w", w, "w_status_D", "1");
        assertEquals(403, neither.statusCode());
        assertTrue(error(neither).startsWith("origin: the request has neither an Origin nor a Referer header"));
        HttpResponse<String> getWithParams = admin.get("/balancer-manager?b=edits&nonce=" + nonce + "&w=" + w + "&w_status_D=1");
        assertEquals(403, getWithParams.statusCode());
        assertTrue(getWithParams.body().contains("method: GET never changes anything; send w_status_D in a POST"));
        assertEquals("Init Ok ", admin.worker("edits", w).get("status"), "none of them changed anything");
        HttpResponse<String> sameSiteReferer = admin.postWith(List.of("Referer", admin.manager + "?b=edits"),
                "b", "edits", "nonce", nonce, "w", w, "w_status_D", "1");
        assertEquals(200, sameSiteReferer.statusCode(), "without Origin, a same-origin Referer is enough");
        assertEquals("Init Dis ", admin.worker("edits", w).get("status"));
        admin.post("b", "edits", "nonce", nonce, "w", w, "w_status_D", "0");
    }
}
