package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.RawHttp.RawResponse;
import org.portico.testkit.Scrape;

/**
 * {@code /balancer-manager/metrics} in the container: the realm's 401/403/200 as for the manager, on every
 * spelling of its path; the counts after traffic through balancer {@code metered} (a refused member first,
 * then beta); and the deployment's MXBeans on the container JVM's platform MBeanServer.
 */
interface MetricsBehaviour extends ProxyUnderTest {

    /** Spellings of the metrics path that a container may send past the constraint, or to another servlet. */
    List<String> METRICS_SPELLINGS = List.of("/balancer-manager/metrics", "/balancer-manager%2fmetrics",
            "/balancer-manager%2Fmetrics", "/balancer-manager/metrics;x", "/balancer-manager/./metrics",
            "//balancer-manager/metrics", "/balancer-manager//metrics", "/balancer-manager/%6detrics",
            "/x/../balancer-manager/metrics", "/BALANCER-MANAGER/METRICS", "/balancer-manager/metrics/");

    private Scrape scrape() {
        HttpResponse<String> r = get("/balancer-manager/metrics", "Authorization", Http.basic("admin", "admin-secret"));
        assertEquals(200, r.statusCode(), r::body);
        // Tomcat drops the spaces between the parameters; Prometheus reads either
        assertTrue(r.headers().firstValue("Content-Type").orElse("").replace(" ", "").startsWith("text/plain;version=0.0.4"),
                () -> r.headers().map().toString());
        return new Scrape(r.body());
    }

    @Test
    default void metricsAskForCredentialsAndAnswerOnlyTheAdminRole() {
        HttpResponse<String> anonymous = get("/balancer-manager/metrics");
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").contains("realm=\"portico\""));
        assertEquals(403, get("/balancer-manager/metrics", "Authorization", Http.basic("guest", "guest-secret")).statusCode());
        assertTrue(scrape().names().contains("portico_member_requests_total"));
    }

    @Test
    default void noSpellingOfTheMetricsPathShowsThemWithoutTheRole() {
        for (String target : METRICS_SPELLINGS) {
            RawResponse anonymous = rawGet(target);
            assertFalse(anonymous.bodyText().contains("portico_member"), () -> target + " -> " + anonymous.statusLine());
            RawResponse guest = rawGet(target, "Authorization: " + Http.basic("guest", "guest-secret"));
            assertFalse(guest.bodyText().contains("portico_member"), () -> target + " as guest -> " + guest.statusLine());
        }
    }

    @Test
    default void metricsCountTrafficThroughABalancerWithARefusedMember() throws Exception {
        String beta = topology().beta.origin();
        String refused = topology().refusedOrigin();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get("/metered/name").statusCode());
        }
        assertEquals(503, get("/metered/status/503").statusCode());
        Scrape s = Poll.until(Duration.ofSeconds(20), this::scrape,
                x -> x.value("portico_member_requests_total", "balancer", "metered", "member", beta) == 6);
        assertEquals(1, s.value("portico_member_errors_total", "balancer", "metered", "member", beta, "kind", "status_5xx"));
        assertEquals(6, s.value("portico_member_request_duration_seconds_count", "balancer", "metered", "member", beta));
        assertEquals(1, s.value("portico_member_requests_total", "balancer", "metered", "member", refused));
        assertEquals(1, s.value("portico_member_errors_total", "balancer", "metered", "member", refused, "kind", "connect_failed"));
        assertEquals(1, s.value("portico_member_status", "balancer", "metered", "member", refused, "flag", "in_error"));
        assertEquals(0, s.value("portico_member_busy", "balancer", "metered", "member", beta));
        assertTrue(s.value("portico_member_received_bytes_total", "balancer", "metered", "member", beta) > 0);
    }

    @Test
    default void theDeploymentsMXBeansAreOnThePlatformMBeanServer() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        String context = contextPath().isEmpty() ? "/" : contextPath();
        ObjectName beta = new ObjectName("org.portico:type=Member,context=" + context + ",balancer=metered,member="
                + ObjectName.quote(topology().beta.origin()));
        assertTrue(jmx.isRegistered(beta), () -> "registered: " + jmx.queryNames(null, null));
        assertEquals(topology().beta.origin(), jmx.getAttribute(beta, "Member"));
        assertEquals(2, jmx.getAttribute(new ObjectName("org.portico:type=Balancer,context=" + context + ",balancer=metered"),
                "Members"));
    }
}
