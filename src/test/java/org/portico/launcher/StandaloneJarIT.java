package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.PorticoProcess;

/** The standalone jar as a newcomer uses it: the demo, --help, and a bad descriptor. */
class StandaloneJarIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(60)
    void demoAlternatesBetweenItsTwoBackends() throws Exception {
        try (PorticoProcess portico = PorticoProcess.start(List.of(), "--demo", "--port", "0")) {
            String url = portico.awaitUrl(Duration.ofSeconds(30));
            List<String> backends = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "hello")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body() + portico.output());
                backends.add(r.headers().firstValue("X-Backend").orElse("?"));
                assertTrue(r.body().startsWith("Hello from demo backend "), r.body());
            }
            assertNotEquals(backends.get(0), backends.get(1), "consecutive requests go to different backends: " + backends);
            assertEquals(backends.get(0), backends.get(2));
            assertEquals(backends.get(1), backends.get(3));
            assertTrue(portico.output().contains("Demo manager login: admin / "), portico.output());
        }
    }

    @Test
    @Timeout(60)
    void pathsUnderWebInfAndMetaInfArePassedToTheBackendAsHttpdPassesThem() throws Exception {
        try (PorticoProcess portico = PorticoProcess.start(List.of(), "--demo", "--port", "0")) {
            String url = portico.awaitUrl(Duration.ofSeconds(30));
            for (String path : List.of("WEB-INF/web.xml", "META-INF/MANIFEST.MF", "web-inf/x")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path + ": " + r.body());
                assertTrue(r.body().startsWith("Hello from demo backend "), path + ": " + r.body());
            }
        }
    }

    @Test
    void theDemoRunsExamplesDemoXmlAsItIsInTheRepository() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(PorticoProcess.JAR.toFile())) {
            java.util.zip.ZipEntry entry = jar.getEntry("examples/demo.xml");
            assertTrue(entry != null, "examples/demo.xml is in the jar, where --demo reads it");
            try (java.io.InputStream in = jar.getInputStream(entry)) {
                assertEquals(java.nio.file.Files.readString(java.nio.file.Path.of("examples", "demo.xml")),
                        new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    @Timeout(60)
    void badDescriptorPrintsFileLineColumnAndExitsNonZero() throws Exception {
        Path bad = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="b">
                    <member url="http://127.0.0.1:1" loadfactor="101"/>
                  </balancer>
                  <pass path="/" to="balancer://b/"/>
                </portico>
                """);
        try (PorticoProcess portico = PorticoProcess.start(List.of(), "--config", bad.toString(), "--port", "0")) {
            int status = portico.awaitExit(Duration.ofSeconds(40));
            assertEquals(2, status, portico.output());
            assertTrue(portico.output().contains(bad + ":3:"), portico.output());
            assertTrue(portico.output().contains("loadfactor 101 is out of range: use a number from 1 to 100"), portico.output());
            assertFalse(portico.output().contains("\tat org."), () -> "a stack trace where one line says it: " + portico.output());
        }
    }

    @Test
    @Timeout(60)
    void withoutADescriptorTheWarRefusesToStartAndSaysHowToNameOne() throws Exception {
        try (PorticoProcess portico = PorticoProcess.start(List.of(), "--port", "0")) {
            int status = portico.awaitExit(Duration.ofSeconds(40));
            assertEquals(2, status, portico.output());
            assertTrue(portico.output().contains("portico: did not start: Portico did not start: no descriptor is configured: "
                    + "name it with the context param portico.descriptor"), portico.output());
            assertTrue(portico.output().contains("-Dportico.descriptor=FILE or the environment variable PORTICO_DESCRIPTOR"),
                    portico.output());
            assertFalse(portico.output().contains("is serving on"), portico.output());
        }
    }

    @Test
    @Timeout(30)
    void helpListsTheOptions() throws Exception {
        try (PorticoProcess portico = PorticoProcess.start(List.of(), "--help")) {
            assertEquals(0, portico.awaitExit(Duration.ofSeconds(20)));
            for (String option : List.of("--demo", "--config", "--port", "--host", "--realm")) {
                assertTrue(portico.output().contains(option), portico.output());
            }
        }
    }

    @Test
    @Timeout(30)
    void unknownOptionIsAUsageError() throws Exception {
        try (PorticoProcess portico = PorticoProcess.start(List.of(), "--frobnicate")) {
            assertEquals(64, portico.awaitExit(Duration.ofSeconds(20)));
            assertTrue(portico.output().contains("unknown option '--frobnicate'"), portico.output());
        }
    }
}
