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
 * Stock jetty-home 12 (org.eclipse.jetty:jetty-home, the Jetty line the standalone jar embeds): a JETTY_BASE
 * holding the shipped {@code examples/jetty} files (the context XML naming the descriptor, the
 * {@code portico-realm} module, its XML and users file) and the WAR, its modules added with
 * {@code start.jar --add-modules}, then started with {@code java -jar start.jar}; Jetty's log is its console.
 */
class StockJettyDistIT extends DistributionChecks {

    private static Run run;

    @BeforeAll
    static void startJetty() throws Exception {
        run = Run.prepare("jetty", "dist.jetty.home");
        Path home = Run.home("dist.jetty.home");
        Path base = run.work.resolve("jetty-base");
        Files.createDirectories(base);
        Shipped.install("jetty/modules/portico-realm.mod", base.resolve("modules/portico-realm.mod"));
        Shipped.install("jetty/etc/portico-realm.xml", base.resolve("etc/portico-realm.xml"));
        Shipped.install("jetty/etc/portico-realm.properties", base.resolve("etc/portico-realm.properties"), Map.of(
                "admin: change-me,portico-admin\n",
                "admin: change-me,portico-admin\n" + VIEWER + ": " + VIEWER_PASSWORD + ",viewer\n"));
        Shipped.install("jetty/webapps/portico.xml", base.resolve("webapps/portico.xml"),
                Map.of(Shipped.DESCRIPTOR, run.descriptor.toString()));
        Files.copy(Path.of("target/portico.war"), base.resolve("webapps/portico.war"));
        Files.copy(Path.of("target/portico.war"), base.resolve("webapps/unconfigured.war"));

        Map<String, String> env = Map.of("JETTY_HOME", home.toString(), "JETTY_BASE", base.toString());
        String startJar = home.resolve("start.jar").toString();
        DistributionProcess.run(base, env, List.of(DistributionProcess.java(), "-jar", startJar,
                "--add-modules=http,ee10-deploy,portico-realm"));

        int port = MisbehavingBackend.refusedPort();
        run.log = run.work.resolve("jetty-console.log");
        run.server = DistributionProcess.start("jetty", base, env, run.log, List.of(DistributionProcess.java(), "-Xmx256m",
                "-jar", startJar, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        run.app = URI.create("http://127.0.0.1:" + port + "/portico/");
        run.unconfigured = URI.create("http://127.0.0.1:" + port + "/unconfigured/");
        run.server.awaitLog(run.log, "Started oejs.Server@", DistributionProcess.STARTUP);
        run.awaitProxying();
    }

    @AfterAll
    static void stopJetty() throws Exception {
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
        return 503;
    }
}
