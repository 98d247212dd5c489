package org.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.sun.tools.attach.VirtualMachine;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.MisbehavingBackend;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.Scrape;

/**
 * The standalone jar's metrics after real traffic through balancer {@code shop}: a member whose port
 * refuses connections (listed first, so byrequests tries it first) and a live one with a GET health check.
 * Twenty requests and one answered 500 by the backend: what a user would graph, read from
 * {@code /balancer-manager/metrics} and over JMX from the running process; and the shipped Prometheus and
 * Grafana examples, checked against it.
 */
class StandaloneMetricsIT {

    private static final Path PROMETHEUS_EXAMPLE = Path.of("examples", "prometheus.yml");
    private static final Path GRAFANA_EXAMPLE = Path.of("examples", "grafana-dashboard.json");
    private static final int REQUESTS = 20;

    private static Backend live;
    private static String dead;
    private static PorticoProcess portico;
    private static String base;

    @BeforeAll
    static void startAndSendTraffic() throws Exception {
        live = Backend.start("live");
        dead = "http://127.0.0.1:" + MisbehavingBackend.refusedPort();
        Path realm = Files.createTempFile("portico-realm", ".properties");
        realm.toFile().deleteOnExit();
        Files.writeString(realm, "admin: admin-secret,portico-admin\nguest: guest-secret,user\n"
                + example("username") + ": " + example("password") + ",portico-admin\n");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="shop">
                    <member url="%s"/>
                    <member url="%s" hcmethod="GET" hcuri="/name" hcinterval="100ms"/>
                  </balancer>
                  <pass path="/shop/" to="balancer://shop/"/>
                </portico>
                """.formatted(dead, live.origin()));
        portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--realm", realm.toString(), "--port", "0");
        base = portico.awaitUrl(Duration.ofSeconds(60));
        for (int i = 0; i < REQUESTS; i++) {
            assertEquals(200, Http.get(URI.create(base + "shop/name")).statusCode());
        }
        assertEquals(500, Http.get(URI.create(base + "shop/status/500")).statusCode());
        // an exchange is counted as it ends, which may be just after the client had its last byte
        Poll.until(Duration.ofSeconds(20), StandaloneMetricsIT::scrape,
                s -> s.value("portico_member_requests_total", "member", live.origin()) == REQUESTS + 1
                        && !s.samples("portico_member_health_checks_total", "member", live.origin()).isEmpty());
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        if (live != null) {
            live.close();
        }
    }

    private static Scrape scrape() {
        HttpResponse<String> r = Http.get(URI.create(base + "balancer-manager/metrics"), "Authorization", Http.basic("admin", "admin-secret"));
        assertEquals(200, r.statusCode(), r::body);
        return new Scrape(r.body());
    }

    @Test
    void metricsAnswerOnlyTheAdminRole() {
        URI metrics = URI.create(base + "balancer-manager/metrics");
        HttpResponse<String> anonymous = Http.get(metrics);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").contains("realm=\"portico\""));
        assertEquals(401, Http.get(metrics, "Authorization", Http.basic("admin", "wrong")).statusCode());
        assertEquals(403, Http.get(metrics, "Authorization", Http.basic("guest", "guest-secret")).statusCode());
        HttpResponse<String> admin = Http.get(metrics, "Authorization", Http.basic("admin", "admin-secret"));
        assertEquals(200, admin.statusCode());
        assertTrue(admin.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                () -> admin.headers().map().toString());
    }

    @Test
    void theRefusingMemberShowsOneConnectFailureAndErrorState() {
        Scrape s = scrape();
        assertEquals(1, s.value("portico_member_requests_total", "balancer", "shop", "member", dead));
        assertEquals(1, s.value("portico_member_errors_total", "member", dead, "kind", "connect_failed"));
        assertEquals(0, s.value("portico_member_errors_total", "member", dead, "kind", "status_5xx"));
        assertEquals(1, s.value("portico_member_status", "member", dead, "flag", "in_error"));
        assertEquals(0, s.value("portico_member_usable", "member", dead));
        assertEquals(1, s.value("portico_balancer_members", "balancer", "shop", "usable", "false"));
        assertTrue(s.samples("portico_member_health_check_up", "member", dead).isEmpty(), "no check configured, no series");
    }

    @Test
    void theLiveMemberShowsItsRequestsLatencyBytesAndRelayed5xx() {
        Scrape s = scrape();
        double count = s.value("portico_member_request_duration_seconds_count", "member", live.origin());
        assertEquals(REQUESTS + 1, count);
        assertEquals(count, s.value("portico_member_request_duration_seconds_bucket", "member", live.origin(), "le", "+Inf"));
        assertTrue(s.value("portico_member_request_duration_seconds_sum", "member", live.origin()) > 0);
        assertEquals(1, s.value("portico_member_errors_total", "member", live.origin(), "kind", "status_5xx"));
        assertEquals(0, s.value("portico_member_errors_total", "member", live.origin(), "kind", "connect_failed"));
        assertEquals(0, s.value("portico_member_busy", "member", live.origin()));
        assertEquals(REQUESTS + 1, s.value("portico_member_elected_total", "member", live.origin()));
        assertTrue(s.value("portico_member_sent_bytes_total", "member", live.origin()) > 0);
        assertTrue(s.value("portico_member_received_bytes_total", "member", live.origin()) >= REQUESTS * "live".length());
        assertEquals(1, s.value("portico_member_usable", "member", live.origin()));
        assertEquals(0, s.value("portico_member_status", "member", live.origin(), "flag", "in_error"));
    }

    @Test
    void theLiveMembersHealthChecksAreCounted() {
        Scrape s = scrape();
        assertEquals(1, s.value("portico_member_health_check_up", "balancer", "shop", "member", live.origin()));
        assertTrue(s.value("portico_member_health_checks_total", "member", live.origin(), "result", "passed") >= 1);
        assertEquals(0, s.value("portico_member_health_checks_total", "member", live.origin(), "result", "failed"));
        assertTrue(s.value("portico_member_health_check_duration_seconds", "member", live.origin()) > 0);
    }

    @Test
    void thePrometheusExampleScrapesWithItsPathAndCredentials() throws Exception {
        HttpResponse<String> r = Http.get(URI.create(base.replaceAll("/$", "") + example("metrics_path")),
                "Authorization", Http.basic(example("username"), example("password")));
        assertEquals(200, r.statusCode());
        assertTrue(new Scrape(r.body()).names().contains("portico_member_requests_total"), r::body);
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsScraped() throws Exception {
        Set<String> queried = new TreeSet<>();
        collectMetricNames(JsonParser.parseString(Files.readString(GRAFANA_EXAMPLE)), queried);
        assertTrue(queried.size() >= 10, queried::toString);
        Set<String> scraped = scrape().names();
        for (String name : queried) {
            assertTrue(scraped.contains(name), () -> name + " is queried by the dashboard but not in a scrape: " + scraped);
        }
    }

    @Test
    void jmxShowsTheSameFiguresInTheRunningProcess() throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(portico.pid()));
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection jmx = c.getMBeanServerConnection();
            ObjectName liveName = new ObjectName("org.portico:type=Member,context=/,balancer=shop,member="
                    + ObjectName.quote(live.origin()));
            assertEquals((long) REQUESTS + 1, jmx.getAttribute(liveName, "Requests"));
            assertEquals("Init Ok", jmx.getAttribute(liveName, "Status"));
            assertTrue(((String) jmx.getAttribute(liveName, "HealthCheckLast")).startsWith("passed: "));
            ObjectName deadName = new ObjectName("org.portico:type=Member,context=/,balancer=shop,member=" + ObjectName.quote(dead));
            TabularData errors = (TabularData) jmx.getAttribute(deadName, "ErrorsByKind");
            assertEquals(1L, errors.get(new Object[] {"connect_failed"}).get("value"));
            assertEquals("Init Err", jmx.getAttribute(deadName, "Status"));
            assertEquals(1, jmx.getAttribute(new ObjectName("org.portico:type=Balancer,context=/,balancer=shop"), "UsableMembers"));
            assertEquals(Set.of(new ObjectName("org.portico:type=Deployment,context=/")),
                    jmx.queryNames(new ObjectName("org.portico:type=Deployment,*"), null));
        } finally {
            vm.detach();
        }
    }

    /** Every portico_ name in the dashboard's queries (its panels' exprs and its variables' queries). */
    private static void collectMetricNames(JsonElement e, Set<String> into) {
        if (e.isJsonObject()) {
            e.getAsJsonObject().entrySet().forEach(en -> collectMetricNames(en.getValue(), into));
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collectMetricNames(x, into));
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            Matcher m = Pattern.compile("portico_[a-z_]+").matcher(e.getAsString());
            while (m.find()) {
                into.add(m.group());
            }
        }
    }

    /** A value of the Prometheus example, e.g. {@code metrics_path} or {@code username}. */
    private static String example(String key) throws Exception {
        Matcher m = Pattern.compile("(?m)^\\s*" + key + ":\\s*(\\S+)").matcher(Files.readString(PROMETHEUS_EXAMPLE));
        assertTrue(m.find(), key + " in " + PROMETHEUS_EXAMPLE);
        return m.group(1);
    }
}
