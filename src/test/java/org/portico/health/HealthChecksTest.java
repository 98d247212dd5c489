package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Worker;
import org.portico.config.DescriptorLoader;
import org.portico.proxy.Gateway;
import org.portico.testkit.FlappingBackend;
import org.portico.testkit.Poll;

/** The check threads in-process: bounded by hc-tpsize, none with 0, all gone once the gateway closes. */
class HealthChecksTest {

    private static Gateway gateway(String settings, String origin, int members) throws Exception {
        StringBuilder xml = new StringBuilder("<portico xmlns=\"urn:portico:descriptor:1\">" + settings + "<balancer name=\"many\">");
        for (int i = 0; i < members; i++) {
            xml.append("<member url=\"").append(origin).append("/m").append(i)
                    .append("\" hcmethod=\"GET\" hcuri=\"/health\" hcinterval=\"100ms\"/>");
        }
        xml.append("</balancer></portico>");
        Gateway g = new Gateway(DescriptorLoader.load(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)),
                "test.xml", null), LbMethods.discover(HealthChecksTest.class.getClassLoader()));
        g.startHealthChecks();
        return g;
    }

    private static List<Thread> checkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("portico-hc-\\d+")).toList();
    }

    private static List<Thread> allHealthThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("portico-hc-")).toList();
    }

    @Test
    void slowChecksOfManyMembersUseNoMoreThreadsThanHcTpsizeAndCloseEndsThem() throws Exception {
        try (FlappingBackend slow = FlappingBackend.start("slow")) {
            slow.mode(FlappingBackend.Mode.SLOW);
            Gateway g = gateway("<settings hc-tpsize=\"3\"/>", slow.origin(), 12);
            try {
                Poll.until(Duration.ofSeconds(20), () -> slow.healthHeads().size(), n -> n >= 3);
                int most = 0;
                for (int i = 0; i < 200; i++) { // sampled while 12 slow checks compete for 3 threads
                    most = Math.max(most, checkThreads().size());
                    Thread.onSpinWait();
                }
                assertTrue(most <= 3, most + " check threads");
                assertTrue(slow.healthHeads().size() <= 3, "3 checks in flight, the other 9 wait: " + slow.healthHeads().size());
            } finally {
                long t0 = System.nanoTime();
                g.close();
                long took = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(took < FlappingBackend.SLOW_MILLIS, "close waited " + took + " ms for the running checks");
            }
            assertEquals(List.of(), allHealthThreads(), "close joins the watchdog and the check threads");
        }
    }

    @Test
    void hcTpsizeZeroChecksOneByOneOnTheWatchdog() throws Exception {
        try (FlappingBackend up = FlappingBackend.start("up")) {
            Gateway g = gateway("<settings hc-tpsize=\"0\"/>", up.origin(), 3);
            try {
                Worker w = g.balancer("many").members().get(2);
                Poll.until(Duration.ofSeconds(20), () -> g.health().view(w), v -> v != null && v.checks() >= 2);
                assertEquals(List.of(), checkThreads());
                assertTrue(up.healthHeads().contains("GET /m2//health HTTP/1.0\r\nHost: 127.0.0.1:" + up.port() + "\r\n\r\n"),
                        up.healthHeads().toString());
            } finally {
                g.close();
            }
        }
    }
}
