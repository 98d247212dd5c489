package org.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanFilter;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * The built WAR deployed twice in an embedded Tomcat 11 and one of them undeployed, as an operator does
 * from Tomcat's manager: each web app's MXBeans carry its context path, count its own traffic, and are
 * gone from the platform MBeanServer once it is undeployed, while the other's stay.
 */
class TomcatMetricsUndeployIT {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private Tomcat tomcat;
    private Backend backend;
    private Path base;

    @AfterEach
    void stopAll() throws Exception {
        System.clearProperty("portico.descriptor");
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
        if (backend != null) {
            backend.close();
        }
        if (base != null) {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A copy of the built WAR per web app, expanded into the Host's appBase as Tomcat does. Portico declares
     * everything in web.xml, so no jar nor class is scanned for annotations or TLDs: on a busy machine that
     * scan alone took most of a minute per web app.
     */
    private Context deploy(String path, Path base) throws Exception {
        Files.createDirectories(base.resolve("webapps"));
        Path war = Files.copy(Path.of("target", "portico.war"), base.resolve(path.substring(1) + ".war"));
        Context context = tomcat.addWebapp(path, war.toAbsolutePath().toString());
        StandardJarScanner scanner = (StandardJarScanner) context.getJarScanner();
        scanner.setScanClassPath(false);
        StandardJarScanFilter skipAll = new StandardJarScanFilter();
        skipAll.setTldSkip("*");
        skipAll.setPluggabilitySkip("*");
        scanner.setJarScanFilter(skipAll);
        context.setIgnoreAnnotations(true);
        return context;
    }

    private static Set<ObjectName> names(String pattern) throws Exception {
        return JMX.queryNames(new ObjectName(pattern), null);
    }

    @Test
    @Timeout(180) // two WAR deployments; on a busy machine that is more than the default 30 s
    void undeployingAWebAppUnregistersItsMXBeansAndOnlyIts() throws Exception {
        backend = Backend.start("only");
        System.setProperty("portico.descriptor", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web"><member url="%s"/></balancer>
                  <pass path="/web/" to="balancer://web/"/>
                </portico>
                """.formatted(backend.origin())).toString());
        base = Files.createTempDirectory("portico-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector();
        tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP servlet: the WAR has no JSPs
        Context kept = deploy("/tc-kept", base);
        Context undeployed = deploy("/tc-undeployed", base);
        tomcat.start();
        String origin = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
        ObjectName member = new ObjectName("org.portico:type=Member,context=/tc-undeployed,balancer=web,member="
                + ObjectName.quote(backend.origin()));

        assertEquals(200, Http.get(URI.create(origin + "/tc-undeployed/web/name")).statusCode());
        assertEquals(1L, Poll.until(Duration.ofSeconds(20), () -> (Long) JMX.getAttribute(member, "Requests"), v -> v >= 1));
        assertEquals(0L, JMX.getAttribute(new ObjectName("org.portico:type=Member,context=/tc-kept,balancer=web,member="
                + ObjectName.quote(backend.origin())), "Requests"));
        assertEquals(3, names("org.portico:context=/tc-undeployed,*").size());

        tomcat.getHost().removeChild(undeployed);
        assertEquals(Set.of(), names("org.portico:context=/tc-undeployed,*"));
        assertEquals(3, names("org.portico:context=/tc-kept,*").size());
        assertTrue(kept.getState().isAvailable());
    }
}
