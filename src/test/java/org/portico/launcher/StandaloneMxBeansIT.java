package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * The launcher's embedded Jetty run twice in this JVM with the built WAR at one context path, as the
 * standalone jar runs it: each deployment's MXBeans are on the platform MBeanServer under names of their
 * own, and stopping a server unregisters its names (and only its).
 */
class StandaloneMxBeansIT {

    private static final String CONTEXT = "/jmx-twin";
    private static final Path WAR = Path.of("target", "portico.war");
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private EmbeddedJetty first;
    private EmbeddedJetty second;
    private Backend backend;

    @AfterEach
    void stopAll() throws Exception {
        System.clearProperty("portico.descriptor");
        for (EmbeddedJetty j : new EmbeddedJetty[] {first, second}) {
            if (j != null) {
                j.stop();
            }
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static EmbeddedJetty start(Path realm) throws Exception {
        EmbeddedJetty jetty = new EmbeddedJetty("127.0.0.1", 0, -1, null, CONTEXT, realm, Duration.ZERO);
        jetty.start(WAR);
        return jetty;
    }

    private static Set<ObjectName> names(String pattern) throws Exception {
        return JMX.queryNames(new ObjectName(pattern), null);
    }

    @Test
    @Timeout(180) // two WAR deployments; on a busy machine that is more than the default 30 s
    void twoDeploymentsAtOneContextPathHaveTheirOwnNamesAndStoppingOneUnregistersOnlyIts() throws Exception {
        backend = Backend.start("only");
        Path realm = Files.createTempFile("portico-realm", ".properties");
        realm.toFile().deleteOnExit();
        System.setProperty("portico.descriptor", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web"><member url="%s"/></balancer>
                  <pass path="/web/" to="balancer://web/"/>
                </portico>
                """.formatted(backend.origin())).toString());
        first = start(realm);
        second = start(realm);
        ObjectName firstMember = new ObjectName("org.portico:type=Member,context=" + CONTEXT + ",balancer=web,member="
                + ObjectName.quote(backend.origin()));
        ObjectName secondMember = new ObjectName("org.portico:type=Member,context=" + CONTEXT + ",instance=2,balancer=web,member="
                + ObjectName.quote(backend.origin()));
        Set<ObjectName> all = names("org.portico:context=" + CONTEXT + ",*");
        assertEquals(6, all.size(), () -> "Deployment, Balancer and Member of each: " + all);
        assertEquals(3, names("org.portico:context=" + CONTEXT + ",instance=2,*").size());

        assertEquals(200, Http.get(URI.create(second.urls().get(0) + "web/name")).statusCode());
        assertEquals(0L, JMX.getAttribute(firstMember, "Requests"), "the other deployment's traffic is not counted here");
        assertEquals(1L, waitForRequests(secondMember, 1));

        second.stop();
        second = null;
        assertEquals(Set.of(), names("org.portico:context=" + CONTEXT + ",instance=2,*"));
        assertEquals(3, names("org.portico:context=" + CONTEXT + ",*").size(), "the running deployment keeps its names");
        assertTrue(JMX.isRegistered(firstMember));
        first.stop();
        first = null;
        assertEquals(Set.of(), names("org.portico:context=" + CONTEXT + ",*"));
    }

    /** The exchange is counted as it ends, which may come just after the client had the response. */
    private static long waitForRequests(ObjectName member, long n) throws Exception {
        return Poll.until(Duration.ofSeconds(20), () -> (Long) JMX.getAttribute(member, "Requests"), v -> v >= n);
    }
}
