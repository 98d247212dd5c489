package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * The balancer-manager in the real container (the standalone jar's Jetty, as a process), as an operator
 * and scripts meet it: login, page, XML, JSON, the live picture, the httpd-tests proxy_balancer.t
 * flow, a member added at run time taking traffic, and changes that survive a restart.
 * {@link StandaloneManagerEditsIT} has every edit and refusal.
 */
@Timeout(60)
class StandaloneManagerIT {

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

    private HttpResponse<String> through(String path) throws Exception {
        return fixture.through(path);
    }

    // ------------------------------------------------------------------ who gets in

    @Test
    void withoutCredentialsTheManagerAsksForThemWith401() throws Exception {
        ManagerClient anonymous = admin.as(null, null);
        HttpResponse<String> r = anonymous.get("/balancer-manager");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").toLowerCase().contains("basic realm=\"portico\""),
                r.headers().map().toString());
        assertEquals(401, anonymous.get("/balancer-manager?xml=1").statusCode());
        assertEquals(401, anonymous.post("b", "edits", "nonce", "x", "w", "http://127.0.0.1:9", "w_status_D", "1").statusCode());
    }

    @Test
    void anAuthenticatedUserWithoutTheRoleGets403() throws Exception {
        ManagerClient guest = admin.as("guest", "guest-secret");
        assertEquals(403, guest.get("/balancer-manager").statusCode());
        assertEquals(403, guest.get("/balancer-manager/traffic").statusCode());
        assertEquals(403, guest.post("b", "edits", "nonce", admin.nonce("edits"), "w", "http://127.0.0.1:9",
                "w_status_D", "1").statusCode());
        assertEquals("Init Ok ", admin.worker("edits", "http://127.0.0.1:9").get("status"));
    }

    // ------------------------------------------------------------------ what it shows

    @Test
    void thePageShowsEveryColumnAndForbidsFramingSniffingAndCaching() throws Exception {
        HttpResponse<String> r = admin.get("/balancer-manager");
        assertEquals(200, r.statusCode());
        String page = r.body();
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        for (String column : List.of("MaxMembers", "StickySession", "DisableFailover", "Timeout", "FailoverAttempts",
                "Method", "Path", "Active", "Worker URL", "Route", "RouteRedir", "Factor", "Set", "Status", "Elected",
                "Busy", "Load", "To", "From", "HC Method", "HC Interval", "Passes", "Fails", "HC uri", "HC Expr")) {
            assertTrue(page.contains("<th>" + column + "</th>"), column);
        }
        assertTrue(page.contains("<h1>Load Balancer Manager for 127.0.0.1</h1>"));
        assertTrue(page.contains("Balancer changes will be persisted on restart."));
        assertTrue(page.contains(">balancer://full</a>"));
        assertTrue(page.contains("<td>1 [1 Used]</td>"), "MaxMembers [Used]");
        assertTrue(page.contains("<td class=\"status\">Init Ok </td>"));
        assertTrue(page.contains("<td>127.0.0.1 -&gt; /web/</td>"), "Path");
        assertTrue(page.contains("<td>NONE</td><td>30000ms</td><td>1 (0)</td><td>1 (0)</td>"), "health-check columns");
        assertTrue(page.contains("<svg class=\"chart\""), "the live picture");
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        Matcher nonce = Pattern.compile("script-src 'nonce-([^']+)'").matcher(csp);
        assertTrue(nonce.find(), csp);
        assertTrue(page.contains("<script nonce=\"" + nonce.group(1) + "\" src=\"/balancer-manager/traffic-chart.js\"></script>"),
                "the chart script carries this response's nonce");
        assertFalse(page.contains("<script>"), "no script without the nonce");
        HttpResponse<String> script = admin.get("/balancer-manager/traffic-chart.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"),
                "a script type, which nosniff requires");
        assertTrue(script.body().contains("fetch(url"), "the redraw script itself");
        String other = admin.get("/balancer-manager").headers().firstValue("Content-Security-Policy").orElse("");
        assertFalse(other.contains(nonce.group(1)), "a fresh nonce per response");
    }

    @Test
    void xmlIsHttpdsDocument() throws Exception {
        HttpResponse<String> r = admin.get("/balancer-manager?xml=1");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
        String xml = r.body();
        assertTrue(xml.startsWith(GoldenStatus.head()), xml);
        assertTrue(xml.contains(GoldenStatus.balancer("full")), xml);
        assertTrue(xml.endsWith(GoldenStatus.tail()), xml);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonGivesTheSameInformation() throws Exception {
        Map<String, Object> status = admin.status();
        assertEquals(Boolean.TRUE, status.get("persist"));
        assertTrue(((List<Object>) status.get("lbmethods")).containsAll(List.of("byrequests", "bytraffic", "bybusyness", "heartbeat")));
        Map<String, Object> full = admin.balancer("full");
        assertEquals("balancer://full", full.get("name"));
        assertEquals(1L, full.get("maxMembers"));
        assertEquals("(None)", full.get("stickySession"));
        assertTrue(((String) full.get("nonce")).matches("[0-9a-f-]{36}"));
        Map<String, Object> w = admin.worker("full", "http://127.0.0.1:11");
        assertEquals("Init Ok ", w.get("status"));
        assertEquals(1L, w.get("loadfactor"));
        assertEquals("NONE", ((Map<String, Object>) w.get("healthCheck")).get("method"));
    }

    @Test
    void liveTrafficIsSampledAndServedAsJson() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertEquals(200, through("/web/live").statusCode());
        }
        String json = Poll.until(Duration.ofSeconds(10), () -> admin.get("/balancer-manager/traffic").body(),
                body -> Pattern.compile("\"rps\":\\[[^\\]]*[1-9]").matcher(body).find());
        assertTrue(json.contains("\"name\":\"web\""), json);
    }

    // ------------------------------------------------------------------ members at run time

    /** httpd-tests t/modules/proxy_balancer.t, the dynproxy part (spec §10), with Portico's explicit 403. */
    @Test
    void httpdTestsProxyBalancerFlow() throws Exception {
        String page = admin.get("/balancer-manager").body();
        String nonce = null;
        for (String part : page.split("\\?b=")) {
            if (part.startsWith("dynproxy")) {
                Matcher m = Pattern.compile("nonce=([^\"&]+)").matcher(part);
                assertTrue(m.find(), part);
                nonce = m.group(1);
            }
        }
        assertNotNull(nonce);
        assertTrue(nonce.matches("^[0-9a-fA-F-]+$"), nonce);
        String b3 = fixture.backends.get(2).origin();
        String fields = "b_lbm=byrequests&b_tmo=0&b_max=0&b_sforce=0&b_ss=&b_nwrkr=" + java.net.URLEncoder.encode(b3, "UTF-8")
                + "&b_wyes=1&b=dynproxy&nonce=" + nonce;
        HttpResponse<String> noReferer = fixture.send(HttpRequest.newBuilder(URI.create(admin.manager))
                .header("Authorization", basic()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(fields)).build());
        assertEquals(403, noReferer.statusCode(), "httpd answers 200 and ignores the fields; Portico says why");
        assertTrue(noReferer.body().contains("origin: the request has neither an Origin nor a Referer header"));
        assertFalse(noReferer.body().contains(b3 + "</a>"), "the worker was not added");
        assertEquals(503, through("/dynproxy").statusCode(), "a balancer without members");
        HttpResponse<String> added = fixture.send(HttpRequest.newBuilder(URI.create(admin.manager))
                .header("Authorization", basic()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Referer", admin.manager).POST(HttpRequest.BodyPublishers.ofString(fields)).build());
        assertEquals(200, added.statusCode(), added.body());
        assertEquals("Init Dis ", admin.worker("dynproxy", b3).get("status"), "added disabled");
        assertEquals(503, through("/dynproxy").statusCode(), "disabled members take no traffic");
        HttpResponse<String> enabled = fixture.send(HttpRequest.newBuilder(URI.create(admin.manager))
                .header("Authorization", basic()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Referer", admin.manager).POST(HttpRequest.BodyPublishers.ofString(
                        "w=" + java.net.URLEncoder.encode(b3, "UTF-8") + "&b=dynproxy&w_status_D=0&nonce=" + nonce)).build());
        assertEquals(200, enabled.statusCode(), enabled.body());
        assertEquals(200, through("/dynproxy").statusCode());
    }

    private static String basic() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin-secret".getBytes());
    }

    @Test
    void aMemberAddedAtRunTimeStartsDisabledAndTakesTrafficOnceEnabled() throws Exception {
        Backend b3 = fixture.backends.get(2);
        HttpResponse<String> r = admin.post("b", "web", "nonce", admin.nonce("web"), "b_nwrkr", b3.origin(), "b_wyes", "1");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("added member " + b3.origin()), r.body());
        assertEquals("Init Dis ", admin.worker("web", b3.origin()).get("status"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            seen.add(through("/web/x").headers().firstValue("X-Backend").orElse("?"));
        }
        assertEquals(Set.of("b1", "b2"), seen, "a disabled member takes no traffic");
        assertEquals(200, admin.post("b", "web", "nonce", admin.nonce("web"), "w", b3.origin(), "w_status_D", "0").statusCode());
        seen.clear();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> t = through("/web/x");
            assertEquals(200, t.statusCode());
            seen.add(t.headers().firstValue("X-Backend").orElse("?"));
        }
        assertEquals(Set.of("b1", "b2", "b3"), seen, "once enabled it takes its turn at once (lbmethod reset)");
        HttpResponse<String> noSlot = admin.postWith(List.of("Origin", admin.origin, "Accept", "application/json"),
                "b", "web", "nonce", admin.nonce("web"), "b_nwrkr", "http://127.0.0.1:12", "b_wyes", "1");
        assertEquals(400, noSlot.statusCode());
        assertTrue(error(noSlot).contains("has no free growth slot: MaxMembers is 3 and 3 are used"), noSlot.body());
    }

    // ------------------------------------------------------------------ the demo

    @Test
    void theDemoHasTheManagerOnWithThePrintedLogin() throws Exception {
        try (PorticoProcess demo = PorticoProcess.start(List.of(), "--demo", "--port", "0")) {
            String url = demo.awaitUrl(Duration.ofSeconds(30));
            Matcher login = Pattern.compile("Demo manager login: admin / (\\S+)").matcher(demo.output());
            assertTrue(login.find(), demo.output());
            // printed just after the "serving" line that awaitUrl waits for
            demo.awaitOutput("Demo balancer-manager: " + url + "balancer-manager");
            ManagerClient m = new ManagerClient(url, "admin", login.group(1));
            assertEquals(200, m.get("/balancer-manager").statusCode());
            assertEquals(5L, m.balancer("demo").get("maxMembers"), "two members and room to add three");
            assertEquals(401, m.as("admin", "wrong").get("/balancer-manager").statusCode());
        }
    }

    // ------------------------------------------------------------------ persistence

    @Test
    @Timeout(120)
    void changesSurviveARestartAndTheResetDiscardsThem() throws Exception {
        Path state = fixture.stateDir.resolve("restart.state");
        Path descriptor = fixture.descriptor();
        String b3 = fixture.backends.get(2).origin();
        try (PorticoProcess first = fixture.startPortico(descriptor, state, false)) {
            ManagerClient m = new ManagerClient(first.awaitUrl(Duration.ofSeconds(30)), "admin", "admin-secret");
            assertEquals(200, m.post("b", "edits", "nonce", m.nonce("edits"), "w", "http://127.0.0.1:9", "w_lf", "9",
                    "w_status_H", "1").statusCode());
            assertEquals(200, m.post("b", "dynproxy", "nonce", m.nonce("dynproxy"), "b_lbm", "bybusyness",
                    "b_nwrkr", b3, "b_wyes", "1").statusCode());
            assertTrue(Files.readString(state).contains("balancer.edits.member.000.lbfactor=900"));
        }
        try (PorticoProcess second = fixture.startPortico(descriptor, state, false)) {
            ManagerClient m = new ManagerClient(second.awaitUrl(Duration.ofSeconds(30)), "admin", "admin-secret");
            Map<String, Object> w = m.worker("edits", "http://127.0.0.1:9");
            assertEquals(9L, w.get("loadfactor"));
            assertEquals("Init Stby Ok ", w.get("status"));
            assertEquals("bybusyness", m.balancer("dynproxy").get("lbmethod"));
            assertEquals("Init Dis ", m.worker("dynproxy", b3).get("status"), "the added member is back, still disabled");
            assertTrue(second.output().contains("balancer://edits: saved state restored"), second.output());
        }
        try (PorticoProcess third = fixture.startPortico(descriptor, state, true)) {
            ManagerClient m = new ManagerClient(third.awaitUrl(Duration.ofSeconds(30)), "admin", "admin-secret");
            assertEquals(1L, m.worker("edits", "http://127.0.0.1:9").get("loadfactor"), "reset: the descriptor's values");
            assertNull(m.worker("dynproxy", b3));
            assertEquals(200, m.post("b", "edits", "nonce", m.nonce("edits"), "w", "http://127.0.0.1:9", "w_lf", "3").statusCode());
            HttpResponse<String> discard = m.post("b", "edits", "nonce", m.nonce("edits"), "discard_state", "1");
            assertEquals(200, discard.statusCode());
            assertTrue(discard.body().contains("saved state discarded"), discard.body());
            assertFalse(Files.exists(state));
        }
    }
}
