package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.FlappingBackend;
import org.portico.testkit.FlappingBackend.Mode;
import org.portico.manager.JsonText;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * mod_proxy_hcheck through the standalone jar, against backends that flap: a member whose GET check
 * fails leaves rotation within {@code hcinterval × hcfails} plus one interval and comes back after
 * {@code hcpasses} passing checks; an hcexpr on the body from a template; TCP checks on a closed port;
 * a slow member; a member shared by two balancers checked once; the manager's JSON and XML values.
 * The bounds carry generous slack for loaded CI machines; the measured delays are printed.
 */
@Timeout(120)
class StandaloneHealthCheckIT {

    private static final long INTERVAL = 200;
    private static final int FAILS = 2;
    private static final int PASSES = 3;
    /** What a busy machine may add to a bound (scheduling, JVM warm-up, the poll itself). */
    private static final long SLACK = 2500;

    private static FlappingBackend a;
    private static FlappingBackend b;
    private static FlappingBackend body;
    private static FlappingBackend tcp;
    private static FlappingBackend slow;
    private static FlappingBackend e1;
    private static FlappingBackend e2;
    private static PorticoProcess portico;
    private static String base;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        a = FlappingBackend.start("a");
        b = FlappingBackend.start("b");
        body = FlappingBackend.start("body");
        tcp = FlappingBackend.start("tcp");
        slow = FlappingBackend.start("slow");
        e1 = FlappingBackend.start("e1");
        e2 = FlappingBackend.start("e2");
        Path realm = Files.createTempFile("portico-realm", ".properties");
        Files.writeString(realm, "admin: secret,portico-admin\n");
        realm.toFile().deleteOnExit();
        String hc = "hcmethod=\"GET\" hcuri=\"/health\" hcinterval=\"%dms\" hcfails=\"%d\" hcpasses=\"%d\""
                .formatted(INTERVAL, FAILS, PASSES);
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <hc-expr name="up">hc('body') =~ /status: UP/ &amp;&amp; %%{REQUEST_STATUS} == 200</hc-expr>
                  <hc-template name="bodycheck" hcmethod="GET11" hcuri="/health" hcinterval="200ms" hcexpr="up"/>
                  <balancer name="web">
                    <member url="%1$s" %2$s/>
                    <member url="%3$s" %2$s/>
                  </balancer>
                  <balancer name="shared">
                    <member url="%1$s" %2$s/>
                  </balancer>
                  <balancer name="body">
                    <member url="%4$s" hctemplate="bodycheck"/>
                  </balancer>
                  <balancer name="tcp">
                    <member url="%5$s" hcmethod="TCP" hcinterval="200ms"/>
                  </balancer>
                  <balancer name="slow">
                    <member url="%6$s" hcmethod="HEAD" hcuri="/health" hcinterval="200ms" timeout="300ms"/>
                  </balancer>
                  <balancer name="eject" eject-after="3 in 10s">
                    <member url="%7$s" retry="15s"/>
                    <member url="%8$s" retry="15s"/>
                  </balancer>
                  <pass path="/web/" to="balancer://web/"/>
                  <pass path="/eject/" to="balancer://eject/"/>
                </portico>
                """.formatted(a.origin(), hc, b.origin(), body.origin(), tcp.origin(), slow.origin(), e1.origin(), e2.origin()));
        portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--realm", realm.toString(),
                "--port", "0");
        String url = portico.awaitUrl(Duration.ofSeconds(60));
        base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        admin = Http.basic("admin", "secret");
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        for (FlappingBackend f : new FlappingBackend[] {a, b, body, tcp, slow, e1, e2}) {
            if (f != null) {
                f.close();
            }
        }
    }

    @Test
    void memberFailingItsGetCheckLeavesRotationAndReturnsAfterHcpasses() throws Exception {
        awaitChecked("web", a);
        long failedAt = System.nanoTime();
        a.mode(Mode.ERROR_500);
        Poll.until(Duration.ofMillis(INTERVAL * (FAILS + 1) + SLACK), () -> status("web", a), s -> s.contains("HcFl"));
        long detection = (System.nanoTime() - failedAt) / 1_000_000;
        System.out.printf("health: GET check detection %d ms (hcinterval %d ms x hcfails %d, bound %d ms + slack)%n",
                detection, INTERVAL, FAILS, INTERVAL * (FAILS + 1));
        portico.awaitOutput("health check: " + a.origin() + " in balancer://web: Init Ok -> Init HcFl: failed");

        int before = a.served();
        for (String member : members(10)) {
            assertEquals("b", member, "a member in C takes no traffic");
        }
        assertEquals(before, a.served());

        long upAt = System.nanoTime();
        a.mode(Mode.UP);
        Poll.until(Duration.ofMillis(INTERVAL * (PASSES + 1) + SLACK), () -> status("web", a), s -> !s.contains("HcFl"));
        long recovery = (System.nanoTime() - upAt) / 1_000_000;
        System.out.printf("health: recovery after %d passes took %d ms (hcinterval %d ms)%n", PASSES, recovery, INTERVAL);
        // three passing checks are at least two intervals apart from first to last
        assertTrue(recovery >= INTERVAL * (PASSES - 1), "recovered after " + recovery + " ms: fewer than " + PASSES + " checks");
        Poll.until(Duration.ofSeconds(10), () -> members(4), m -> m.contains("a"));
    }

    @Test
    void checksSendHttpdsBytesAndASharedMemberIsCheckedOnce() throws Exception {
        awaitChecked("shared", a);
        assertEquals("GET /health HTTP/1.0\r\nHost: 127.0.0.1:" + a.port() + "\r\n\r\n", a.healthHeads().get(0));
        assertEquals("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + body.port() + "\r\n\r\n",
                Poll.until(Duration.ofSeconds(10), body::healthHeads, h -> !h.isEmpty()).get(0));
        assertEquals("HEAD /health HTTP/1.0\r\nHost: 127.0.0.1:" + slow.port() + "\r\n\r\n",
                Poll.until(Duration.ofSeconds(10), slow::healthHeads, h -> !h.isEmpty()).get(0));
        // one check feeds both balancers: the backend saw about as many as either balancer counted
        Poll.until(Duration.ofSeconds(10), () -> checks("shared", a), n -> n >= 5);
        // checks go on while the test reads, so each count is read between two that bound it
        int seen = a.healthHeads().size();
        long sharedBefore = checks("shared", a);
        long web = checks("web", a);
        long sharedAfter = checks("shared", a);
        assertTrue(sharedBefore - 1 <= web && web <= sharedAfter + 1,
                "web " + web + ", shared " + sharedBefore + " before and " + sharedAfter + " after");
        assertTrue(seen <= sharedBefore + 1, "backend saw " + seen + " checks, balancers counted " + sharedBefore);
    }

    @Test
    void hcexprFromATemplateFailsOnTheWrongBodyAndPassesAgain() throws Exception {
        awaitChecked("body", body);
        body.mode(Mode.WRONG_BODY);
        Poll.until(Duration.ofMillis(INTERVAL * 2 + SLACK), () -> status("body", body), s -> s.contains("HcFl"));
        Map<String, Object> last = last("body", body);
        assertEquals(false, last.get("passed"));
        assertTrue(((String) last.get("detail")).contains("hcexpr up false"), last.toString());
        body.mode(Mode.UP);
        Poll.until(Duration.ofMillis(INTERVAL * 2 + SLACK), () -> status("body", body), s -> !s.contains("HcFl"));
    }

    @Test
    void tcpCheckFailsOnAClosedPortAndPassesWhenItOpens() throws Exception {
        awaitChecked("tcp", tcp);
        tcp.mode(Mode.CLOSED);
        Poll.until(Duration.ofMillis(INTERVAL * 2 + SLACK), () -> status("tcp", tcp), s -> s.contains("HcFl"));
        tcp.mode(Mode.UP);
        Poll.until(Duration.ofMillis(INTERVAL * 2 + SLACK), () -> status("tcp", tcp), s -> !s.contains("HcFl"));
        assertTrue(tcp.healthHeads().isEmpty(), "a TCP check sends nothing");
    }

    @Test
    void aSlowMemberFailsByItsTimeout() throws Exception {
        awaitChecked("slow", slow);
        slow.mode(Mode.SLOW);
        Poll.until(Duration.ofMillis(INTERVAL + 300 + SLACK), () -> status("slow", slow), s -> s.contains("HcFl"));
        assertTrue(((String) last("slow", slow).get("detail")).contains("timed out"), last("slow", slow).toString());
        slow.mode(Mode.UP);
        Poll.until(Duration.ofSeconds(10), () -> status("slow", slow), s -> !s.contains("HcFl"));
    }

    @Test
    void managerShowsLiveHealthValuesInJsonXmlAndThePage() throws Exception {
        awaitChecked("web", b);
        Map<String, Object> hc = healthCheck("web", b);
        assertEquals("GET", hc.get("method"));
        assertEquals(INTERVAL + "ms", hc.get("interval"));
        assertEquals(PASSES, ((Number) hc.get("passes")).intValue());
        assertNotNull(hc.get("pcount"));
        assertNotNull(hc.get("fcount"));
        Map<String, Object> last = last("web", b);
        assertEquals(true, last.get("passed"));
        assertTrue(((String) last.get("detail")).startsWith("GET /health: status 200"), last.toString());
        assertTrue(((Number) last.get("durationMs")).longValue() >= 0);

        String xml = manager("?xml=1").body();
        assertTrue(xml.matches("(?s).*<httpd:hcpasses>" + PASSES + " \\(\\d+\\)</httpd:hcpasses>.*"), xml);
        assertTrue(xml.matches("(?s).*<httpd:hcfails>" + FAILS + " \\(\\d+\\)</httpd:hcfails>.*"), xml);
        assertTrue(xml.contains("<httpd:hclast_result>passed</httpd:hclast_result>"), xml);
        assertTrue(xml.contains("<httpd:hclast_time>"), xml);
        assertTrue(xml.contains("<httpd:hclast_duration>"), xml);

        String page = manager("").body();
        assertTrue(page.contains("<th>HC Last</th>"), page);
        String json = Http.get(URI.create(base + "/balancer-manager"), "Authorization", admin, "Accept", "application/json").body();
        assertEquals(Map.of("up", "hc('body') =~ /status: UP/ && %{REQUEST_STATUS} == 200"),
                ((Map<?, ?>) JsonText.parse(json)).get("hcExprs"));
        assertTrue(page.contains("<tr><td>up</td><td>hc(&#39;body&#39;) =~ /status: UP/ &amp;&amp; %{REQUEST_STATUS} == 200</td></tr>"),
                page);
        assertTrue(page.matches("(?s).*<td>" + PASSES + " \\(\\d+\\)</td><td>" + FAILS + " \\(\\d+\\)</td>.*"), page);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMemberAnswering5xxIsEjectedForItsRetryTimeButNeverMoreThanHalf() throws Exception {
        e1.mode(Mode.ERROR_500);
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answered.add(answer("/eject/x"));
        }
        // e1 answers 500 three times (passed on to the client, as failonstatus is not set), then leaves
        assertEquals(3, answered.stream().filter(m -> m.equals("e1 500")).count(), answered.toString());
        assertTrue(answered.subList(answered.size() - 10, answered.size()).stream().allMatch(m -> m.equals("e2 200")),
                answered.toString());
        Map<String, Object> ejected = (Map<String, Object>) worker("eject", e1).get("ejected");
        assertNotNull(ejected);
        assertTrue(((String) ejected.get("reason")).startsWith("3 failures in 10000 ms, the last: answered 500"), ejected.toString());
        portico.awaitOutput("outlier ejection: " + e1.origin() + " in balancer://eject: Init Ok -> Init Err: 3 failures");
        assertTrue(manager("?xml=1").body().contains("<httpd:ejected_reason>3 failures in 10000 ms"));

        // the other member fails too: it stays, since one of two is ejected already
        e2.mode(Mode.ERROR_500);
        for (int i = 0; i < 4; i++) {
            assertEquals("e2 500", answer("/eject/x"));
        }
        assertNull(worker("eject", e2).get("ejected"));
        portico.awaitOutput("outlier ejection: " + e2.origin() + " in balancer://eject not ejected");

        // after retry (15 s, long enough for the checks above on a busy machine) e1 takes traffic again
        e1.mode(Mode.UP);
        e2.mode(Mode.UP);
        Poll.until(Duration.ofSeconds(60), () -> answer("/eject/x"), m -> m.equals("e1 200"));
    }


    private static String answer(String path) {
        HttpResponse<String> r = Http.get(URI.create(base + path));
        return r.headers().firstValue("X-Backend").orElse("-") + " " + r.statusCode();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static HttpResponse<String> manager(String query) {
        return Http.get(URI.create(base + "/balancer-manager" + query), "Authorization", admin, "Accept",
                query.isEmpty() ? "text/html" : "*/*");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> worker(String balancer, FlappingBackend member) {
        HttpResponse<String> r = Http.get(URI.create(base + "/balancer-manager"), "Authorization", admin,
                "Accept", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> doc = (Map<String, Object>) JsonText.parse(r.body());
        for (Object bo : (List<Object>) doc.get("balancers")) {
            Map<String, Object> bm = (Map<String, Object>) bo;
            if (balancer.equals(bm.get("b"))) {
                for (Object wo : (List<Object>) bm.get("workers")) {
                    Map<String, Object> w = (Map<String, Object>) wo;
                    if (member.origin().equals(w.get("name"))) {
                        return w;
                    }
                }
            }
        }
        throw new AssertionError("no member " + member + " in " + balancer + ": " + r.body());
    }

    private static String status(String balancer, FlappingBackend member) {
        return (String) worker(balancer, member).get("status");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> healthCheck(String balancer, FlappingBackend member) {
        return (Map<String, Object>) worker(balancer, member).get("healthCheck");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> last(String balancer, FlappingBackend member) {
        return (Map<String, Object>) healthCheck(balancer, member).get("last");
    }

    private static long checks(String balancer, FlappingBackend member) {
        return ((Number) healthCheck(balancer, member).get("checks")).longValue();
    }

    private static void awaitChecked(String balancer, FlappingBackend member) throws Exception {
        Poll.until(Duration.ofSeconds(20), () -> checks(balancer, member), n -> n > 0);
    }

    /** The members that answered {@code count} GETs through balancer web. */
    private static List<String> members(int count) {
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> r = Http.get(URI.create(base + "/web/x"));
            assertNotEquals(0, r.statusCode());
            answered.add(r.headers().firstValue("X-Backend").orElse("-"));
        }
        return answered;
    }

    @Test
    void anExpressionPorticoCannotEvaluateIsRefusedAtStartUpWithItsLocation() throws Exception {
        Path bad = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <hc-expr name="uri">%{REQUEST_URI} =~ /health/</hc-expr>
                  <balancer name="x"><member url="http://127.0.0.1:9" hcmethod="GET" hcexpr="uri"/></balancer>
                </portico>
                """);
        try (PorticoProcess p = PorticoProcess.start(List.of(), "--config", bad.toString(), "--port", "0")) {
            assertNotEquals(0, p.awaitExit(Duration.ofSeconds(60)));
            assertTrue(p.output().contains(bad + ":2:3: hc-expr 'uri' cannot be evaluated by Portico: variable %{REQUEST_URI}"),
                    p.output());
        }
    }
}
