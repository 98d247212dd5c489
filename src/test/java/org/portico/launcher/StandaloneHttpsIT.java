package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.SelfSignedCertificate;

/**
 * --https-port: a real TLS client, trusting only the test's self-signed certificate, gets proxied content over
 * HTTP/2 (chosen by ALPN) and HTTP/1.1, with the key from a PKCS#12 keystore or from PEM files; bad key
 * material stops the jar with one line.
 */
@Timeout(180)
class StandaloneHttpsIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final String PASSWORD = "https-test-secret";

    private static Path dir;
    private static SelfSignedCertificate certificate;
    private static Backend backend;
    private static Path descriptor;
    private static HttpClient http2;
    private static HttpClient http11;
    /** The jar with the keystore (its password from a file) and both ports. */
    private static PorticoProcess portico;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("portico-https");
        certificate = SelfSignedCertificate.generate(dir, "server", PASSWORD);
        backend = Backend.start("behind-tls");
        descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="%s/"/>
                  <reverse path="/" url="%s/"/>
                </portico>
                """.formatted(backend.origin(), backend.origin()));
        http2 = client(HttpClient.Version.HTTP_2);
        http11 = client(HttpClient.Version.HTTP_1_1);
        Path passwordFile = Files.writeString(dir.resolve("password.txt"), PASSWORD + "\n");
        portico = jar("--keystore", certificate.keyStore().toString(), "--keystore-password-file", passwordFile.toString());
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

    private static HttpClient client(HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder().version(version).sslContext(certificate.clientContext())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Http.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static PorticoProcess jar(String... tlsArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--config", descriptor.toString(), "--port", "0", "--https-port", "0"));
        args.addAll(List.of(tlsArgs));
        return PorticoProcess.start(List.of(), args.toArray(new String[0]));
    }

    @Test
    void aKeystoreListenerServesHttp2ToClientsThatOfferItAndHttp11ToOthersBesideThePlainPort() throws Exception {
        String https = portico.awaitHttpsUrl(START);
        assertTrue(https.startsWith("https://127.0.0.1:"), https);

        HttpResponse<String> h2 = get(http2, https + "name");
        assertEquals(200, h2.statusCode(), h2.body());
        assertEquals("behind-tls", h2.body());
        assertEquals(HttpClient.Version.HTTP_2, h2.version(), "ALPN chose h2");

        HttpResponse<String> h1 = get(http11, https + "name");
        assertEquals(200, h1.statusCode(), h1.body());
        assertEquals("behind-tls", h1.body());
        assertEquals(HttpClient.Version.HTTP_1_1, h1.version());

        HttpResponse<String> plain = Http.get(URI.create(portico.awaitUrl(START) + "name"));
        assertEquals("behind-tls", plain.body(), "the plain port still serves");
    }

    @Test
    void theProxySeesTheTlsRequestAsHttpsWhenItRewritesALocation() throws Exception {
        String https = portico.awaitHttpsUrl(START);
        String authority = URI.create(https).getRawAuthority();
        for (HttpClient client : List.of(http2, http11)) {
            HttpResponse<String> r = get(client, https + "redirect?to=" + backend.origin() + "/next");
            assertEquals(302, r.statusCode(), r.body());
            assertEquals(https + "next", r.headers().firstValue("Location").orElse(null),
                    "ProxyPassReverse maps the backend's URL to the https one the client used, " + r.version());

            HttpResponse<String> echo = get(client, https + "echo");
            assertTrue(echo.body().contains("X-Forwarded-Host: " + authority + "\n"), echo.body());
        }
    }

    @Test
    void pemFilesServeAloneWhenThePlainPortIsOff() throws Exception {
        Path cert = certificate.writeCertificatePem(dir.resolve("fullchain.pem"));
        Path key = certificate.writeKeyPem(dir.resolve("privkey.pem"));
        try (PorticoProcess portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--no-http",
                "--https-port", "0", "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            String https = portico.awaitHttpsUrl(START);
            HttpResponse<String> h2 = get(http2, https + "name");
            assertEquals("behind-tls", h2.body());
            assertEquals(HttpClient.Version.HTTP_2, h2.version());
            assertEquals("behind-tls", get(http11, https + "name").body());
            assertFalse(portico.output().contains("serving on http://"), portico.output());
        }
    }

    @Test
    void theHeaderTimeoutBoundsTheHandshakeAndEachHttp11HeadOnTheTlsPort() throws Exception {
        // its own jar: a 2 s deadline would also bound a first handshake slowed by a loaded machine
        try (PorticoProcess timed = jar("--keystore", certificate.keyStore().toString(), "--keystore-password", PASSWORD,
                "--header-timeout", "2s")) {
            URI https = URI.create(timed.awaitHttpsUrl(START));
            warmUp(https);
            long start = System.nanoTime();
            try (Socket silent = new Socket(https.getHost(), https.getPort());
                 SSLSocket dripping = handshaken(https)) {
                dripping.setSoTimeout(50);
                dripping.getOutputStream().write("GET /name HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(closedWhileDripping(dripping, start), "a TLS connection dripping its head was never cut off");
                // Jetty's idle timeout is 30 s: closing within 15 s is the header deadline's doing
                silent.setSoTimeout(15_000);
                assertTrue(closedWithin(silent), "a connection that never began its handshake was never cut off");
            }
        }
    }

    /** A first handshake loads the server's TLS classes; on a loaded machine it may itself overrun the deadline. */
    private static void warmUp(URI https) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                assertEquals("behind-tls", get(http11, https + "name").body());
                return;
            } catch (IOException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * A TLS connection past its handshake, which the 2 s deadline also bounds: on a loaded machine a handshake may
     * overrun it, so a cut one is tried again, as {@link #warmUp} does.
     */
    private static SSLSocket handshaken(URI https) throws Exception {
        for (int attempt = 1; ; attempt++) {
            SSLSocket socket = (SSLSocket) certificate.clientContext().getSocketFactory().createSocket(https.getHost(), https.getPort());
            try {
                socket.startHandshake();
                return socket;
            } catch (IOException e) {
                socket.close();
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Keeps adding header lines (each resets Jetty's idle timeout) for 15 s until the server closes. */
    private static boolean closedWhileDripping(Socket s, long startNanos) {
        long end = startNanos + Duration.ofSeconds(15).toNanos();
        int line = 0;
        try {
            while (System.nanoTime() < end) {
                s.getOutputStream().write(("X-Drip-" + line++ + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                try {
                    if (s.getInputStream().read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // still open: another line
                }
            }
            return false;
        } catch (IOException e) {
            return true; // reset, or the write met the closed connection
        }
    }

    private static boolean closedWithin(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void badKeyMaterialStopsTheJarWithOneLineNamingIt() throws Exception {
        Path cert = certificate.writeCertificatePem(dir.resolve("chain.pem"));
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
                        + "-----END RSA PRIVATE KEY-----\n");
        Path encrypted = Files.writeString(dir.resolve("encrypted.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n"
                        + "-----END ENCRYPTED PRIVATE KEY-----\n");
        Path otherKey = SelfSignedCertificate.generate(dir, "other", PASSWORD).writeKeyPem(dir.resolve("other-key.pem"));
        Path missing = dir.resolve("no-such.p12");

        assertRefused("--keystore " + certificate.keyStore() + ": wrong password (from --keystore-password)",
                "--keystore", certificate.keyStore().toString(), "--keystore-password", "not-the-password");
        assertRefused("--keystore " + missing + ": no such file", "--keystore", missing.toString(), "--keystore-password", "x");
        assertRefused("--keystore " + cert + ": not a PKCS#12 keystore", "--keystore", cert.toString(), "--keystore-password", "x");
        assertRefused("--tls-key " + pkcs1 + ": is a RSA key in its own format (-----BEGIN RSA PRIVATE KEY-----); "
                + "convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt", "--tls-cert", cert.toString(), "--tls-key", pkcs1.toString());
        assertRefused("--tls-key " + encrypted + ": is encrypted", "--tls-cert", cert.toString(), "--tls-key", encrypted.toString());
        assertRefused("--tls-key " + otherKey + ": is not the key of the first certificate in --tls-cert",
                "--tls-cert", cert.toString(), "--tls-key", otherKey.toString());
    }

    private static void assertRefused(String line, String... tlsArgs) throws Exception {
        try (PorticoProcess portico = jar(tlsArgs)) {
            int status = portico.awaitExit(START);
            String output = portico.output();
            assertNotEquals(0, status, output);
            assertTrue(output.startsWith("portico: " + line), output);
            assertEquals(1, output.lines().count(), "one line, no stack trace:\n" + output);
        }
    }
}
