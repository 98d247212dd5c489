package org.portico.backend.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.AjpTomcat;
import org.portico.testkit.MisbehavingBackend;
import org.portico.testkit.PatternBytes;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.SelfSignedCertificate;

/**
 * AJP members through the standalone jar, against real Tomcat AJP connectors (each in its own JVM, with a
 * secret and a jvmRoute): the request as the servlet sees it, bodies both ways byte-exact, Tomcat's 403 for a
 * wrong secret, failover from a killed member, CPING before the request, and sticky routes by jvmRoute.
 */
class StandaloneAjpIT {

    private static final String SECRET = "s3cret-for-tests";
    private static final long BIG = 1L << 30;

    private static AjpTomcat t1;
    private static AjpTomcat t2;
    private static AjpTomcat victim;
    private static MisbehavingBackend silent;
    private static PorticoProcess portico;
    private static String base;
    private static int porticoPort;
    private static SelfSignedCertificate certificate;
    private static String httpsBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        t1 = AjpTomcat.start(SECRET, "t1");
        // 64 KiB packets: the "big" worker sends and reads them; the "pair" balancer's default worker reads them
        t2 = AjpTomcat.start(SECRET, "t2", 65536);
        victim = AjpTomcat.start(SECRET, "victim");
        silent = MisbehavingBackend.start(MisbehavingBackend.Mode.SILENT);
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="%1$s" secret="%4$s"/>
                  <worker url="%1$s/wrong" secret="not-the-secret"/>
                  <worker url="%1$s/pinged" secret="%4$s" ping="2s"/>
                  <worker url="%2$s/big" secret="%4$s" iobuffersize="65536"/>
                  <worker url="ajp://127.0.0.1:%5$d" ping="500ms" timeout="30s"/>
                  <balancer name="pair" stickysession="JSESSIONID|jsessionid">
                    <member url="%1$s" route="t1" secret="%4$s"/>
                    <member url="%2$s" route="t2" secret="%4$s"/>
                  </balancer>
                  <balancer name="doomed">
                    <member url="%3$s" secret="%4$s"/>
                    <member url="%2$s" secret="%4$s"/>
                  </balancer>
                  <pass path="/ajp/" to="%1$s/"/>
                  <pass path="/wrong/" to="%1$s/wrong/"/>
                  <pass path="/pinged/" to="%1$s/pinged/"/>
                  <pass path="/big/" to="%2$s/big/"/>
                  <pass path="/silent/" to="ajp://127.0.0.1:%5$d/"/>
                  <pass path="/pair/" to="balancer://pair/"/>
                  <pass path="/doomed/" to="balancer://doomed/"/>
                </portico>
                """.formatted(t1.ajpOrigin(), t2.ajpOrigin(), victim.ajpOrigin(), SECRET, silent.port()));
        Path dir = Files.createTempDirectory("portico-ajp-tls");
        certificate = SelfSignedCertificate.generate(dir, "server", "ajp-tls-password");
        Path passwordFile = Files.writeString(dir.resolve("password.txt"), "ajp-tls-password\n");
        portico = PorticoProcess.start(List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError"),
                "--config", descriptor.toString(), "--port", "0", "--https-port", "0",
                "--keystore", certificate.keyStore().toString(), "--keystore-password-file", passwordFile.toString());
        String url = portico.awaitUrl(Duration.ofSeconds(60));
        httpsBase = portico.awaitHttpsUrl(Duration.ofSeconds(60)).replaceAll("/$", "");
        base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        porticoPort = URI.create(base).getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {portico, t1, t2, victim, silent}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void theServletSeesTheClientsRequestAsModProxyAjpForwardsIt() throws Exception {
        try (Socket s = new Socket("127.0.0.1", porticoPort)) {
            s.setSoTimeout(15_000);
            String request = "GET /ajp/echo/%C3%A9?a=1&b=two%20words HTTP/1.1\r\nHost: front.example:8443\r\n"
                    + "X-Custom: one\r\nAccept-Language: fr\r\nCookie: c=1\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("X-Echo: yes"), response);
            Map<String, String> seen = Echo.parse(response.substring(response.indexOf("\r\n\r\n") + 4));
            assertEquals("GET", seen.get("method"));
            assertEquals("/echo/%C3%A9", seen.get("uri"));
            assertEquals("a=1&b=two%20words", seen.get("query"));
            assertEquals("HTTP/1.1", seen.get("protocol"));
            assertEquals("front.example:8443", seen.get("h.host"), "the client's Host, as mod_proxy_ajp passes it");
            assertEquals("one", seen.get("h.x-custom"));
            assertEquals("fr", seen.get("h.accept-language"));
            assertEquals("c=1", seen.get("h.cookie"));
            assertNull(seen.get("h.x-forwarded-for"), "AJP carries the address itself: " + seen);
            assertEquals("close", seen.get("h.connection"), "the client's headers as they came, as httpd passes them");
            assertEquals("127.0.0.1", seen.get("remote-addr"));
            assertEquals(Integer.toString(s.getLocalPort()), seen.get("remote-port"), "AJP_REMOTE_PORT");
            assertEquals("false", seen.get("secure"));
            assertEquals("front.example", seen.get("server-name"));
            assertEquals("127.0.0.1", seen.get("local-addr"), "AJP_LOCAL_ADDR");
        }
    }

    @Test
    void aClientOverTlsReachesTheServletAsSecureWithItsTlsAttributes() throws Exception {
        HttpClient tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(certificate.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = tls.send(HttpRequest.newBuilder(URI.create(httpsBase + "/ajp/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Map<String, String> seen = Echo.parse(r.body());
        assertEquals("true", seen.get("secure"), "AJP's is_ssl");
        assertEquals("https", seen.get("scheme"));
        assertTrue(seen.get("cipher").startsWith("TLS_"), "ssl_cipher: " + seen);
        assertTrue(Integer.parseInt(seen.get("key-size")) >= 128, "ssl_key_size: " + seen);
        assertFalse("null".equals(seen.get("session-id")), "ssl_session: " + seen);
    }

    @Test
    void headGetsTheHeadAndPatchGoesAsAStoredMethodAsInHttpd() throws Exception {
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base + "/ajp/echo"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        HttpResponse<String> patch = http.send(HttpRequest.newBuilder(URI.create(base + "/ajp/echo"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, patch.statusCode(), patch.body());
        assertEquals("PATCH", Echo.parse(patch.body()).get("method"), "AJP has no code for PATCH: its name goes as stored_method");
        assertEquals("1", Echo.parse(patch.body()).get("body-length"));
    }

    @Test
    void errorStatusesOfTheServletAreRelayed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/ajp/status?code=418")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(418, r.statusCode());
    }

    @Test
    @Timeout(600)
    void aGibibyteGoesUpAndComesDownByteExactThroughA96MiBHeap() throws Exception {
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/ajp/up"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternBytes(BIG)), BIG)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, up.statusCode(), up.body());
        assertEquals(PatternBytes.sha256(BIG) + " " + BIG + "\n", up.body());
        HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(URI.create(base + "/ajp/down?bytes=" + BIG)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        assertEquals(Long.toString(BIG), down.headers().firstValue("Content-Length").orElse(""));
        assertEquals(PatternBytes.sha256(BIG), digest(down.body()));
    }

    @Test
    @Timeout(120)
    void chunkedBodiesGoBothWaysByteExact() throws Exception {
        long size = (8L << 20) + 12345;
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/ajp/up"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternBytes(size))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(PatternBytes.sha256(size) + " " + size + "\n", up.body());
        HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/ajp/down?chunked&bytes=" + size)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(down.headers().firstValue("Content-Length").isEmpty());
        assertEquals(PatternBytes.sha256(size), digest(down.body()));
    }

    @Test
    @Timeout(120)
    void anIobuffersizeOf65536SendsHeadsAndBodiesIn64KiBPacketsAsProxyIOBufferSizeDoes() throws Exception {
        HttpRequest.Builder big = HttpRequest.newBuilder(URI.create(base + "/big/echo"));
        for (int i = 1; i <= 3; i++) {
            big.header("X-F" + i, Integer.toString(i).repeat(7000)); // a 21 KB head
        }
        HttpResponse<String> r = http.send(big.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Map<String, String> seen = Echo.parse(r.body());
        for (int i = 1; i <= 3; i++) {
            assertEquals(Integer.toString(i).repeat(7000), seen.get("h.x-f" + i), "X-F" + i);
        }
        HttpRequest.Builder small = HttpRequest.newBuilder(URI.create(base + "/ajp/echo"));
        for (int i = 1; i <= 3; i++) {
            small.header("X-F" + i, Integer.toString(i).repeat(7000));
        }
        HttpResponse<String> refused = http.send(small.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode(), "8 KiB packets (the default) cannot carry the head: 400, as httpd's AJP_EOVERFLOW");
        assertTrue(refused.body().contains("<title>400 Bad Request</title>") && !refused.body().contains("overflows"),
                "httpd's plain page; the packet size is for the log: " + refused.body());
        assertEquals("close", refused.headers().firstValue("Connection").orElse(null), "400 drops the connection, as in httpd");
        portico.awaitOutput("overflows 8192 bytes");

        long size = (3L << 20) + 777;
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/big/up"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternBytes(size))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(PatternBytes.sha256(size) + " " + size + "\n", up.body());
        HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(URI.create(base + "/big/down?bytes=" + size)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        assertEquals(PatternBytes.sha256(size), digest(down.body()), "64 KiB packets from the container, read whole");
    }

    @Test
    void aWrongSecretGetsTomcatsForbiddenRelayed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/wrong/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        HttpResponse<String> right = http.send(HttpRequest.newBuilder(URI.create(base + "/ajp/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, right.statusCode());
    }

    @Test
    void aPingedMemberAnswersAfterItsCpong() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/pinged/echo")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
        }
    }

    @Test
    void aMemberSilentToCpingGets503WithinItsPingNotItsTimeout() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/silent/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, r.statusCode());
        assertTrue(millis < 15_000, "two CPINGs of 500 ms each, not the 30 s timeout: " + millis + " ms");
    }

    @Test
    void stickySessionsFollowTomcatsJvmRoute() throws Exception {
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base + "/pair/session")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode());
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        String session = cookie.substring(0, cookie.indexOf(';'));
        String route = session.substring(session.lastIndexOf('.') + 1);
        assertTrue(route.equals("t1") || route.equals("t2"), cookie);
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/pair/session"))
                    .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("route: " + route + "\n", r.body(), "request " + i + " with " + session);
        }
    }

    @Test
    void aKilledMemberFailsOverToTheOther() throws Exception {
        boolean victimAnswered = false;
        for (int i = 0; i < 4; i++) {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + "/doomed/session")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            victimAnswered |= body.equals("route: victim\n");
        }
        assertTrue(victimAnswered, "both members take requests while alive");
        victim.kill();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/doomed/session")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
            assertEquals("route: t2\n", r.body());
        }
        assertFalse(portico.output().contains("Exception in thread"), portico.output());
    }

    static String digest(InputStream in) throws Exception {
        MessageDigest md = PatternBytes.sha256();
        byte[] buf = new byte[256 * 1024];
        int n;
        try (in) {
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The echo servlet's "name: value" lines; the first value of a repeated name. */
    static final class Echo {
        static Map<String, String> parse(String body) {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String line : body.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    m.putIfAbsent(line.substring(0, colon), line.substring(colon + 2).trim());
                }
            }
            return m;
        }
    }
}
