package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Worker;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorLoader;
import org.portico.proxy.Gateway;
import org.portico.proxy.LiveGateway;
import org.portico.testkit.FlappingBackend;
import org.portico.testkit.Poll;

/** Health checks follow a descriptor reload: a removed member's checks stop, an added one's start, a kept one's go on. */
class ReloadedHealthChecksTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Descriptor descriptor(String origin, String... paths) throws Exception {
        StringBuilder xml = new StringBuilder("<portico xmlns=\"urn:portico:descriptor:1\"><balancer name=\"web\">");
        for (String path : paths) {
            xml.append("<member url=\"").append(origin).append(path)
                    .append("\" hcmethod=\"GET\" hcuri=\"/health\" hcinterval=\"100ms\"/>");
        }
        xml.append("</balancer></portico>");
        return DescriptorLoader.load(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)), "test.xml", null);
    }

    private static long checksOf(FlappingBackend b, String path) {
        return b.healthHeads().stream().filter(h -> h.startsWith("GET " + path + "//health ")).count();
    }

    @Test
    void aRemovedMembersChecksStopAnAddedOnesStartAndAKeptOnesCountersGoOn() throws Exception {
        try (FlappingBackend up = FlappingBackend.start("up");
             LiveGateway live = new LiveGateway(new Gateway(descriptor(up.origin(), "/kept", "/removed"),
                     LbMethods.discover(getClass().getClassLoader())))) {
            live.current().startHealthChecks();
            Worker kept = live.current().balancer("web").member(up.origin() + "/kept");
            Poll.until(WAIT, () -> checksOf(up, "/removed"), n -> n >= 2);
            long keptChecks = Poll.until(WAIT, () -> live.current().health().view(kept), v -> v != null && v.checks() >= 2).checks();

            live.reload(descriptor(up.origin(), "/kept", "/added"));
            Poll.until(WAIT, () -> checksOf(up, "/added"), n -> n >= 2);
            long removedChecks = checksOf(up, "/removed");
            long added = checksOf(up, "/added");
            Poll.until(WAIT, () -> checksOf(up, "/added"), n -> n >= added + 5);
            assertEquals(removedChecks, checksOf(up, "/removed"), "no check of the removed member since");
            assertSame(kept, live.current().balancer("web").member(up.origin() + "/kept"));
            assertTrue(live.current().health().view(kept).checks() > keptChecks, "the kept member's counters go on");
        }
    }
}
