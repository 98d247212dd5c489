package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.config.HealthCheck;
import org.portico.config.ProxySettings;
import org.portico.config.SourceLocation;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;
import org.portico.testkit.AjpTomcat;
import org.portico.testkit.Backend;
import org.portico.testkit.MisbehavingBackend;

/**
 * {@code hcmethod=CPING} (mod_proxy_hcheck's check of AJP members) against a real Tomcat AJP connector: a
 * CPONG passes; an HTTP server, a silent port (bounded by the member's ping) and a closed port fail.
 */
@Timeout(120)
class StandaloneCpingProbeIT {

    private static final HealthCheck CPING = new HealthCheck("CPING", "", Duration.ofMillis(100), 1, 1, "");
    private static AjpTomcat tomcat;
    private static Backend http;
    private static MisbehavingBackend silent;
    private final Probe probe = new Probe(ProxySettings.defaults());

    @BeforeAll
    static void start() throws Exception {
        tomcat = AjpTomcat.start(null, null);
        http = Backend.start("http");
        silent = MisbehavingBackend.start(MisbehavingBackend.Mode.SILENT);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {tomcat, http, silent}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static WorkerConfig member(String url, Duration ping) {
        return WorkerConfig.of(url, WorkerParams.custom().setPing(ping).setTimeout(Duration.ofSeconds(20)).build(),
                SourceLocation.unknown("test"));
    }

    @Test
    void anAjpConnectorAnswersCpingWithCpong() {
        CheckOutcome o = probe.check(member(tomcat.ajpOrigin(), null), CPING, null);
        assertTrue(o.passed(), o.detail());
    }

    @Test
    void anHttpServerFailsTheCpingCheck() {
        CheckOutcome o = probe.check(member("ajp://127.0.0.1:" + http.port(), Duration.ofSeconds(2)), CPING, null);
        assertFalse(o.passed(), o.detail());
    }

    @Test
    void aSilentPortFailsWithinThePing() {
        long t0 = System.nanoTime();
        CheckOutcome o = probe.check(member("ajp://127.0.0.1:" + silent.port(), Duration.ofMillis(300)), CPING, null);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(o.passed(), o.detail());
        assertTrue(millis < 10_000, "bounded by ping, not the 20 s timeout: " + millis + " ms");
    }

    @Test
    void aClosedPortFailsTheCheck() throws Exception {
        CheckOutcome o = probe.check(member("ajp://127.0.0.1:" + MisbehavingBackend.refusedPort(), null), CPING, null);
        assertFalse(o.passed(), o.detail());
    }
}
