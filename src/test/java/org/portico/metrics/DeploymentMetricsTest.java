package org.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.balancer.LbMethods;
import org.portico.config.DescriptorLoader;
import org.portico.proxy.Gateway;
import org.portico.testkit.Scrape;

/**
 * A deployment's MXBeans on the platform MBeanServer, as JConsole or a JMX exporter reads them, and its
 * scrape before any traffic: every member is there from the start, names never collide between two
 * deployments in one JVM, and nothing is left behind after close.
 */
class DeploymentMetricsTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final String DESCRIPTOR = """
            <portico xmlns="urn:portico:descriptor:1">
              <balancer name="web" growth="1">
                <member url="http://127.0.0.1:9" loadfactor="3"/>
                <member url="http://127.0.0.1:10" status="D"/>
              </balancer>
              <pass path="/web/" to="balancer://web/"/>
            </portico>
            """;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close(); // metrics before their gateway
        }
    }

    private Gateway gateway() throws Exception {
        Gateway g = new Gateway(DescriptorLoader.load(new ByteArrayInputStream(DESCRIPTOR.getBytes(StandardCharsets.UTF_8)),
                "test.xml", null), LbMethods.discover(getClass().getClassLoader()));
        opened.add(g);
        return g;
    }

    private DeploymentMetrics start(String contextPath, Gateway g) throws Exception {
        DeploymentMetrics m = DeploymentMetrics.start(contextPath, g);
        opened.add(m);
        return m;
    }

    private static Set<ObjectName> names(String pattern) throws Exception {
        return JMX.queryNames(new ObjectName(pattern), null);
    }

    @Test
    void everyBalancerAndMemberHasAnMXBeanNamedByContextPath() throws Exception {
        start("/shop", gateway());
        ObjectName member = new ObjectName("org.portico:type=Member,context=/shop,balancer=web,member=\"http://127.0.0.1:9\"");
        assertEquals("Init Ok", JMX.getAttribute(member, "Status"));
        assertEquals(3.0, JMX.getAttribute(member, "LoadFactor"));
        assertEquals(0L, JMX.getAttribute(member, "Requests"));
        assertEquals("", JMX.getAttribute(member, "HealthCheckLast"));
        ObjectName disabled = new ObjectName("org.portico:type=Member,context=/shop,balancer=web,member=\"http://127.0.0.1:10\"");
        assertEquals(false, JMX.getAttribute(disabled, "Usable"));
        ObjectName balancer = new ObjectName("org.portico:type=Balancer,context=/shop,balancer=web");
        assertEquals(2, JMX.getAttribute(balancer, "Members"));
        assertEquals(1, JMX.getAttribute(balancer, "UsableMembers"));
        assertEquals("byrequests", JMX.getAttribute(balancer, "LbMethod"));
        assertEquals(4, names("org.portico:context=/shop,*").size());
    }

    @Test
    void theRootContextIsNamedSlash() throws Exception {
        DeploymentMetrics m = start("", gateway());
        assertEquals(new ObjectName("org.portico:type=Deployment,context=/"), m.objectName());
        assertEquals("/", JMX.getAttribute(m.objectName(), "ContextPath"));
        assertEquals("test.xml", JMX.getAttribute(m.objectName(), "Descriptor"));
    }

    @Test
    void twoDeploymentsWithOneContextPathGetDistinctNames() throws Exception {
        DeploymentMetrics first = start("/twin", gateway());
        DeploymentMetrics second = start("/twin", gateway());
        assertEquals(new ObjectName("org.portico:type=Deployment,context=/twin"), first.objectName());
        assertEquals(new ObjectName("org.portico:type=Deployment,context=/twin,instance=2"), second.objectName());
        assertEquals(1, names("org.portico:type=Balancer,context=/twin,instance=2,*").size());
        first.close();
        assertTrue(names("org.portico:type=Deployment,context=/twin").isEmpty());
        assertEquals(4, names("org.portico:context=/twin,instance=2,*").size(), "the other deployment's names stay");
    }

    @Test
    void closeUnregistersEveryName() throws Exception {
        DeploymentMetrics m = start("/gone", gateway());
        assertEquals(4, names("org.portico:context=/gone,*").size());
        m.close();
        assertEquals(Set.of(), names("org.portico:context=/gone,*"));
    }

    @Test
    void aMemberTheManagerAddsHasItsMXBeanAndSeriesAtTheNextScrape() throws Exception {
        Gateway g = gateway();
        DeploymentMetrics m = start("/grow", g);
        g.addMember("web", "http://127.0.0.1:11");
        Scrape s = scrape(m);
        assertEquals(0, s.value("portico_member_requests_total", "balancer", "web", "member", "http://127.0.0.1:11"));
        assertEquals(1, s.value("portico_member_status", "member", "http://127.0.0.1:11", "flag", "disabled"));
        assertTrue(JMX.isRegistered(new ObjectName("org.portico:type=Member,context=/grow,balancer=web,member=\"http://127.0.0.1:11\"")));
    }

    @Test
    void beforeAnyTrafficEveryMemberHasZeroedSeriesAndItsStatusFlags() throws Exception {
        Scrape s = scrape(start("/zero", gateway()));
        for (String member : List.of("http://127.0.0.1:9", "http://127.0.0.1:10")) {
            assertEquals(0, s.value("portico_member_requests_total", "balancer", "web", "member", member));
            assertEquals(0, s.value("portico_member_request_duration_seconds_count", "member", member));
            for (String kind : ErrorKind.LABELS) {
                assertEquals(0, s.value("portico_member_errors_total", "member", member, "kind", kind));
            }
        }
        assertEquals(1, s.value("portico_member_status", "member", "http://127.0.0.1:10", "flag", "disabled"));
        assertEquals(0, s.value("portico_member_status", "member", "http://127.0.0.1:9", "flag", "disabled"));
        assertEquals(3, s.value("portico_member_loadfactor", "member", "http://127.0.0.1:9"));
        assertEquals(1, s.value("portico_balancer_members", "balancer", "web", "usable", "true"));
        assertFalse(s.names().contains("portico_member_health_check_up"), "no member is checked");
        assertTrue(s.names().stream().allMatch(n -> n.startsWith("portico_")), s::text);
    }

    private static Scrape scrape(DeploymentMetrics m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.scrape(out);
        return new Scrape(out.toString(StandardCharsets.UTF_8));
    }
}
