package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.TestCertificate;

/** https:// workers: a private certificate trusted through a descriptor trust store, and one that is not. */
@Timeout(60)
class StandaloneTlsIT {

    private static Backend backend;
    private static PorticoProcess portico;
    private static String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.startTls("tls");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <trust-store id="private" path="%s" password="%s"/>
                  <worker url="https://127.0.0.1:%d" trust-store="private"/>
                  <pass path="/trusted/" to="https://127.0.0.1:%d/"/>
                  <pass path="/untrusted/" to="https://localhost:%d/"/>
                </portico>
                """.formatted(backend.trustStore(), TestCertificate.PASSWORD, backend.port(), backend.port(), backend.port()));
        portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0");
        url = portico.awaitUrl(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void privateCertificateIsTrustedThroughTheDescriptorsTrustStore() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "trusted/x?y=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body() + portico.output());
        assertTrue(r.body().startsWith("GET /x?y=1\n"), "the backend's echo of what it was asked, over HTTPS (it listens"
                + " on nothing else): " + r.body());
        assertEquals("tls", r.headers().firstValue("X-Backend").orElse(""));
    }

    @Test
    void certificateThatDoesNotVerifyGives502AndALogLineSayingWhy() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "untrusted/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(r.body().contains("<title>502 Proxy Error</title>"), r.body());
        portico.awaitOutput("SSLHandshakeException");
        portico.awaitOutput("https://localhost:" + backend.port());
    }
}
