package org.portico.containers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.MisbehavingBackend;
import org.portico.testkit.PatternBytes;
import org.portico.testkit.Poll;
import org.portico.testkit.WebSocketBackend;
import org.portico.testkit.WebSocketClient;

/**
 * What an operator checks after deploying {@code target/portico.war} in a real container distribution the
 * README's way: it proxies through a balancer, the container's realm guards the balancer-manager, Portico's
 * lines are in the container's own log, the metrics are scraped behind the same realm, a descriptor edited on
 * disk is reloaded from the manager without a restart, and a second copy of the WAR deployed with no descriptor fails its
 * deployment with one line naming {@code portico.descriptor} and proxies nothing. A subclass per container
 * starts the distribution in its {@code @BeforeAll} and stops it in its {@code @AfterAll}.
 */
abstract class DistributionChecks {

    /** A user of the container's realm without the role portico-admin. */
    static final String VIEWER = "viewer";
    static final String VIEWER_PASSWORD = "viewer-pass-1";
    static final String MISSING_DESCRIPTOR =
            "Portico did not start: no descriptor is configured: name it with the context param portico.descriptor";

    /** One container's run: what the test started, where it deployed Portico, and the log to read. */
    static final class Run implements AutoCloseable {
        final Backend backend;
        /** A WebSocket echo member, behind its own balancer on /live/ with upgrade=websocket. */
        final WebSocketBackend live;
        /** A member that refuses connections, listed first, so that the balancer fails over from it. */
        final int refusedPort;
        final Path work;
        final Path descriptor;
        DistributionProcess server;
        /** The configured deployment's base, ending in {@code /}. */
        URI app;
        /** The deployment of the same WAR with no descriptor, ending in {@code /}. */
        URI unconfigured;
        /** The container's standard log, where Portico's lines must appear. */
        Path log;

        private Run(Path work) throws Exception {
            this.work = work;
            this.backend = Backend.start("alive");
            this.live = new WebSocketBackend("live");
            this.refusedPort = MisbehavingBackend.refusedPort();
            this.descriptor = work.resolve("portico.xml").toAbsolutePath();
            Files.writeString(descriptor, """
                    <portico xmlns="urn:portico:descriptor:1">
                      <balancer name="web">
                        <member url="http://127.0.0.1:%d"/>
                        <member url="%s"/>
                      </balancer>
                      <balancer name="live">
                        <member url="%s" upgrade="websocket"/>
                      </balancer>
                      <pass path="/live/" to="balancer://live/"/>
                      <pass path="/" to="balancer://web/"/>
                    </portico>
                    """.formatted(refusedPort, backend.origin(), live.url()));
        }

        /**
         * A fresh work directory under target/dist-it for {@code container}, a backend and the descriptor, or a
         * skipped test class when the distribution was not unpacked for this run (the containers profile is off).
         */
        static Run prepare(String container, String homeProperty) throws Exception {
            String home = System.getProperty(homeProperty);
            Assumptions.assumeTrue(home != null, "run with -Pcontainers: " + homeProperty + " is not set");
            Path work = Path.of("target", "dist-it", container).toAbsolutePath();
            delete(work);
            Files.createDirectories(work);
            return new Run(work);
        }

        static Path home(String homeProperty) {
            Path home = Path.of(System.getProperty(homeProperty)).toAbsolutePath();
            assertTrue(Files.isDirectory(home), home + " was not unpacked");
            return home;
        }

        /** Waits until the configured deployment answers through the balancer. */
        void awaitProxying() throws Exception {
            Poll.until(DistributionProcess.STARTUP, () -> {
                try {
                    return Http.get(app.resolve("name")).statusCode();
                } catch (RuntimeException notListeningYet) {
                    return -1;
                }
            }, status -> status == 200);
        }

        String log() {
            return DistributionProcess.read(log);
        }

        @Override
        public void close() throws Exception {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                try {
                    backend.close();
                } finally {
                    live.close();
                }
            }
        }
    }

    /** The run the subclass's {@code @BeforeAll} made. */
    abstract Run run();

    /** What the container answers at the context path of a web app that failed to start. */
    abstract int statusOfFailedWebApp();

    @Test
    void proxiesThroughTheBalancerToTheBackend() {
        Run run = run();
        int before = run.backend.receivedUnder("/name").size();
        HttpResponse<String> r = Http.get(run.app.resolve("name"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("alive", r.body());
        assertEquals(before + 1, run.backend.receivedUnder("/name").size());
    }

    @Test
    void webSocketMessagesAreTunnelledToTheMemberTheBalancerChose() throws Exception {
        URI ws = URI.create(run().app.toString().replaceFirst("^http", "ws") + "live/echo/dist");
        byte[] binary = new PatternBytes(1 << 20).readAllBytes();
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws, Http.TIMEOUT);
            assertEquals("hello through the container", s.sendText("hello through the container", Http.TIMEOUT));
            assertArrayEquals(binary, s.sendBinary(binary, Http.TIMEOUT));
            assertEquals("live", s.sendText("whoami", Http.TIMEOUT));
        }
        assertTrue(run().live.handshakes().stream().anyMatch(h -> "/echo/dist".equals(h.get(":path"))),
                () -> run().live.handshakes().toString());
    }

    @Test
    void managerChallengesAnonymousRefusesOtherRolesAndAdmitsPorticoAdmin() {
        URI manager = run().app.resolve("balancer-manager");
        HttpResponse<String> anonymous = Http.get(manager);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"portico\""),
                () -> anonymous.headers().map().toString());

        HttpResponse<String> viewer = Http.get(manager, "Authorization", Http.basic(VIEWER, VIEWER_PASSWORD));
        assertEquals(403, viewer.statusCode(), viewer.body());

        HttpResponse<String> admin = Http.get(manager, "Authorization", Http.basic(Shipped.ADMIN, Shipped.ADMIN_PASSWORD),
                "Accept", "application/json");
        assertEquals(200, admin.statusCode(), admin.body());
        JsonObject web = null;
        for (JsonElement b : JsonParser.parseString(admin.body()).getAsJsonObject().getAsJsonArray("balancers")) {
            if (b.getAsJsonObject().get("b").getAsString().equals("web")) {
                web = b.getAsJsonObject();
            }
        }
        assertTrue(web != null && web.toString().contains(run().backend.origin()), admin.body());
    }

    @Test
    void metricsAreScrapedBehindTheRealmAndCountTheTraffic() {
        Run run = run();
        assertEquals(200, Http.get(run.app.resolve("name")).statusCode());
        URI metrics = run.app.resolve("balancer-manager/metrics");
        assertEquals(401, Http.get(metrics).statusCode());
        assertEquals(403, Http.get(metrics, "Authorization", Http.basic(VIEWER, VIEWER_PASSWORD)).statusCode());
        HttpResponse<String> admin = Http.get(metrics, "Authorization", Http.basic(Shipped.ADMIN, Shipped.ADMIN_PASSWORD));
        assertEquals(200, admin.statusCode(), admin.body());
        String series = "portico_member_requests_total{balancer=\"web\",member=\"" + run.backend.origin() + "\"}";
        double requests = admin.body().lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElse(-1.0);
        assertTrue(requests >= 1, () -> series + " missing or zero in:\n" + admin.body());
    }

    @Test
    void descriptorReloadedFromTheManagerServesANewRuleWithoutRestart() throws Exception {
        Run run = run();
        String before = Files.readString(run.descriptor);
        try {
            Files.writeString(run.descriptor, before.replace("<pass path=\"/live/\"",
                    "<pass path=\"/added/\" to=\"" + run.backend.origin() + "/\"/>\n  <pass path=\"/live/\""));
            URI manager = run.app.resolve("balancer-manager");
            String auth = Http.basic(Shipped.ADMIN, Shipped.ADMIN_PASSWORD);
            HttpResponse<String> status = Http.get(manager, "Authorization", auth, "Accept", "application/json");
            String nonce = null;
            for (JsonElement b : JsonParser.parseString(status.body()).getAsJsonObject().getAsJsonArray("balancers")) {
                if (b.getAsJsonObject().get("b").getAsString().equals("web")) {
                    nonce = b.getAsJsonObject().get("nonce").getAsString();
                }
            }
            String origin = run.app.getScheme() + "://" + run.app.getAuthority();
            HttpResponse<String> reload = Http.send(Http.request(manager, "Authorization", auth, "Origin", origin,
                            "Accept", "application/json", "Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("reload=1&b=web&nonce=" + nonce)).build());
            assertEquals(200, reload.statusCode(), reload.body());
            HttpResponse<String> added = Http.get(run.app.resolve("added/name"));
            assertEquals(200, added.statusCode(), added.body());
            assertEquals("alive", added.body());
            Poll.until(Http.TIMEOUT, run::log, log -> log.contains("Portico descriptor reloaded from"));
        } finally {
            Files.writeString(run.descriptor, before);
        }
    }

    @Test
    void startUpSummaryAndFailoverWarningAreInTheContainersLog() throws Exception {
        Run run = run();
        List<String> lines = run.log().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("Portico started from ") && l.contains(run.descriptor.toString())
                        && l.contains("2 pass rule(s), 2 balancer(s)")),
                () -> "no start-up summary in " + run.log + ":\n" + run.log());
        // the first request went to the refused member first (both start equal; it is listed first)
        String refused = "127.0.0.1:" + run.refusedPort;
        Poll.until(Http.TIMEOUT, () -> run.log().lines().filter(l -> l.contains(refused) && l.contains("fails over")).toList(),
                failovers -> failovers.stream().anyMatch(l -> l.contains("WARN")));
    }

    @Test
    void warWithoutDescriptorFailsItsDeploymentWithOneLineAndProxiesNothing() throws Exception {
        Run run = run();
        String line = Poll.until(Http.TIMEOUT,
                () -> run.log().lines().filter(l -> l.contains(MISSING_DESCRIPTOR)).findFirst().orElse(""),
                l -> !l.isEmpty());
        assertTrue(line.contains("SEVERE") || line.contains("ERROR"), line);
        int before = run.backend.received().size();
        HttpResponse<String> r = Http.get(run.unconfigured.resolve("name"));
        assertEquals(statusOfFailedWebApp(), r.statusCode(), r.body());
        assertEquals(before, run.backend.received().size(), "the unconfigured WAR reached the backend");
    }

    /** Copies a directory of an unpacked distribution, keeping the files' modes. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
