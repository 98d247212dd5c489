package org.portico.containers;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.portico.testkit.MisbehavingBackend;

/**
 * Stock Tomcat 11 (org.apache.tomcat:tomcat, unpacked by the containers profile): the WAR in
 * {@code webapps/} of a CATALINA_BASE of its own,, the descriptor named by the shipped {@code conf/Catalina/localhost/portico.xml}, the
 * users in the shipped {@code conf/tomcat-users.xml}, started with {@code catalina.sh run} and its console
 * kept as {@code logs/catalina.out}, as {@code catalina.sh start} keeps it.
 */
class StockTomcatDistIT extends DistributionChecks {

    private static Run run;

    @BeforeAll
    static void startTomcat() throws Exception {
        run = Run.prepare("tomcat", "dist.tomcat.home");
        Path home = Run.home("dist.tomcat.home");
        // CATALINA_BASE apart from the unpacked CATALINA_HOME, so that each run starts from the stock conf/
        Path base = run.work.resolve("catalina-base");
        copyTree(home.resolve("conf"), base.resolve("conf"));
        for (String dir : List.of("logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        int port = MisbehavingBackend.refusedPort();
        Path serverXml = base.resolve("conf/server.xml");
        Shipped.edit(serverXml, "<Server port=\"8005\"", "<Server port=\"-1\""); // no shutdown port: stopped by PID
        Shipped.edit(serverXml, "<Connector port=\"8080\" protocol=\"HTTP/1.1\"",
                "<Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"");

        Shipped.install("tomcat/conf/tomcat-users.xml", base.resolve("conf/tomcat-users.xml"), Map.of(
                "</tomcat-users>", "  <user username=\"" + VIEWER + "\" password=\"" + VIEWER_PASSWORD + "\" roles=\"viewer\"/>\n</tomcat-users>"));
        Shipped.install("tomcat/conf/Catalina/localhost/portico.xml", base.resolve("conf/Catalina/localhost/portico.xml"),
                Map.of(Shipped.DESCRIPTOR, run.descriptor.toString()));
        Files.copy(Path.of("target/portico.war"), base.resolve("webapps/portico.war"));
        Files.copy(Path.of("target/portico.war"), base.resolve("webapps/unconfigured.war"));

        run.log = base.resolve("logs/catalina.out");
        Files.createDirectories(run.log.getParent());
        run.server = DistributionProcess.start("tomcat", base,
                Map.of("CATALINA_HOME", home.toString(), "CATALINA_BASE", base.toString(),
                        "JAVA_HOME", DistributionProcess.javaHome(), "CATALINA_OPTS", "-Xmx256m"),
                run.log, List.of("sh", home.resolve("bin/catalina.sh").toString(), "run"));
        run.app = URI.create("http://127.0.0.1:" + port + "/portico/");
        run.unconfigured = URI.create("http://127.0.0.1:" + port + "/unconfigured/");
        run.server.awaitLog(run.log, "Server startup in", DistributionProcess.STARTUP);
        run.awaitProxying();
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Override
    Run run() {
        return run;
    }

    @Override
    int statusOfFailedWebApp() {
        return 404;
    }
}
