package org.portico.containers;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.portico.testkit.MisbehavingBackend;

/**
 * WildFly 39 (org.wildfly:wildfly-dist, unpacked by the containers profile) with a server base directory of
 * its own: users of the application realm made with {@code add-user.sh -a}, started with
 * {@code standalone.sh}, the descriptor named by the shipped {@code examples/wildfly/portico.cli} (a system
 * property: WildFly has no per-deployment context param outside the WAR), and the WAR dropped in
 * {@code deployments/}. The WAR with no descriptor is deployed first, while no property names one.
 */
class WildFlyDistIT extends DistributionChecks {

    private static Run run;

    @BeforeAll
    static void startWildFly() throws Exception {
        run = Run.prepare("wildfly", "dist.wildfly.home");
        Path home = Run.home("dist.wildfly.home");
        // jboss.server.base.dir apart from the unpacked home, so that each run starts from the stock configuration
        Path base = run.work.resolve("standalone");
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Path deployments = Files.createDirectories(base.resolve("deployments"));
        Map<String, String> env = Map.of("JBOSS_HOME", home.toString(), "JAVA_HOME", DistributionProcess.javaHome());
        String config = base.resolve("configuration").toString();
        DistributionProcess.run(home, env, List.of("sh", "bin/add-user.sh", "-a", "-u", Shipped.ADMIN, "-p",
                Shipped.ADMIN_PASSWORD, "-g", "portico-admin", "-sc", config));
        DistributionProcess.run(home, env, List.of("sh", "bin/add-user.sh", "-a", "-u", VIEWER, "-p", VIEWER_PASSWORD,
                "-g", "viewer", "-sc", config));
        deploy(Path.of("target/portico.war"), deployments, "unconfigured.war");

        int http = MisbehavingBackend.refusedPort();
        int management = MisbehavingBackend.refusedPort();
        run.log = base.resolve("log/server.log");
        run.server = DistributionProcess.start("wildfly", home, env, run.work.resolve("wildfly-console.log"), List.of(
                "sh", "bin/standalone.sh", "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.server.base.dir=" + base,
                "-Djboss.http.port=" + http, "-Djboss.https.port=" + MisbehavingBackend.refusedPort(),
                "-Djboss.ajp.port=" + MisbehavingBackend.refusedPort(), "-Djboss.management.http.port=" + management,
                "-Djboss.management.https.port=" + MisbehavingBackend.refusedPort()));
        run.app = URI.create("http://127.0.0.1:" + http + "/portico/");
        run.unconfigured = URI.create("http://127.0.0.1:" + http + "/unconfigured/");
        // WFLYSRV0025 started, WFLYSRV0026 started with errors (the unconfigured WAR's failure is one)
        run.server.awaitLog(run.log, s -> s.contains("WFLYSRV0025") || s.contains("WFLYSRV0026"), "that it started",
                DistributionProcess.STARTUP);

        Path cli = Shipped.install("wildfly/portico.cli", run.work.resolve("portico.cli"),
                Map.of(Shipped.DESCRIPTOR, run.descriptor.toString()));
        DistributionProcess.run(home, env, List.of("sh", "bin/jboss-cli.sh", "--connect",
                "--controller=127.0.0.1:" + management, "--file=" + cli));
        deploy(Path.of("target/portico.war"), deployments, "portico.war");
        run.awaitProxying();
    }

    /** Copies the WAR beside the deployments directory, then moves it in whole, so the scanner never sees half of it. */
    private static void deploy(Path war, Path deployments, String name) throws java.io.IOException {
        Path partial = deployments.resolveSibling(name + ".partial");
        Files.copy(war, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, deployments.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @AfterAll
    static void stopWildFly() throws Exception {
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
