package org.portico.backend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.PatternBytes;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.RecordedRequest;
import org.portico.testkit.TestCertificate;

/**
 * HTTP/2 members as mod_proxy_http2 has them: {@code h2c://} (prior knowledge) under a balancer, with many
 * requests multiplexed as streams of a connection, and {@code h2://} over TLS, through the standalone jar.
 */
@Timeout(120)
class StandaloneHttp2MembersIT {

    private static Backend one;
    private static Backend two;
    private static Backend single;
    private static Backend tls;
    private static PorticoProcess portico;
    private static String url;
    /** HTTP/1.1 towards Portico: the members' protocol is Portico's business. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        one = Backend.startH2c("one");
        two = Backend.startH2c("two");
        single = Backend.startH2c("single");
        tls = Backend.startH2("tls");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <trust-store id="private" path="%s" password="%s"/>
                  <worker url="%s" trust-store="private"/>
                  <worker url="%s" max="2"/>
                  <balancer name="h2">
                    <member url="%s"/>
                    <member url="%s"/>
                  </balancer>
                  <pass path="/lb/" to="balancer://h2/"/>
                  <pass path="/one-connection/" to="%s/"/>
                  <pass path="/tls/" to="%s/"/>
                </portico>
                """.formatted(tls.trustStore(), TestCertificate.PASSWORD, tls.origin(), single.origin(),
                one.origin(), two.origin(), single.origin(), tls.origin()));
        portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0");
        url = portico.awaitUrl(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        for (Backend b : new Backend[] {one, two, single, tls}) {
            if (b != null) {
                b.close();
            }
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void balancerSpreadsRequestsOverH2cMembersWhichReceiveHttp2() throws Exception {
        Set<String> answered = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = get("lb/name");
            assertEquals(200, r.statusCode(), r.body() + portico.output());
            answered.add(r.body());
        }
        assertEquals(Set.of("one", "two"), answered);
        assertTrue(one.protocols().stream().allMatch("HTTP/2.0"::equals), one.protocols().toString());
        assertTrue(two.protocols().stream().allMatch("HTTP/2.0"::equals), two.protocols().toString());
    }

    @Test
    void forwardedHeadersArriveAndHopByHopHeadersAreDroppedOverHttp2() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "lb/headers?q=1"))
                .header("X-Custom", "kept").header("Cookie", "a=1").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body() + portico.output());
        RecordedRequest got = Poll.until(Duration.ofSeconds(10), () -> received("/headers?q=1"), x -> x != null);
        assertEquals("kept", got.header("X-Custom"));
        assertEquals("a=1", got.header("Cookie"));
        assertEquals("127.0.0.1", got.header("X-Forwarded-For"));
        // the host travels in :authority only: nginx answers a Host field beside it with 400 (duplicate host)
        assertTrue(got.headers("Host").size() <= 1, got.headers().toString());
        assertTrue(got.header("X-Forwarded-Host") != null, got.headers().toString());
    }

    private static RecordedRequest received(String target) {
        for (Backend b : List.of(one, two)) {
            for (RecordedRequest r : b.received()) {
                if (r.target().equals(target)) {
                    return r;
                }
            }
        }
        return null;
    }

    @Test
    void bodiesStreamBothWaysByteExact() throws Exception {
        byte[] up = new PatternBytes(300_000).readAllBytes();
        HttpResponse<byte[]> echoed = http.send(HttpRequest.newBuilder(URI.create(url + "lb/echo-body"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(up)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, echoed.statusCode());
        assertEquals(sha(up), sha(echoed.body()));
        long n = 20L << 20;
        HttpResponse<byte[]> down = http.send(HttpRequest.newBuilder(URI.create(url + "lb/down?bytes=" + n)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, down.statusCode());
        assertEquals(n, down.body().length);
        assertEquals(PatternBytes.sha256(n), sha(down.body()));
    }

    @Test
    void hundredConcurrentRequestsAreStreamsOfAtMostTwoConnectionsOfAMemberWithMaxTwo() throws Exception {
        // HttpClient 5.6 shares an HTTP/2 connection once it has been established and used once; a lease that
        // comes while the first is still being handed out waits for (or opens) a connection of its own
        assertEquals(200, get("one-connection/name").statusCode());
        int before = single.connectionsAccepted();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            pending.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url + "one-connection/hold/" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Poll.until(Duration.ofSeconds(60), single::held, n -> n == 100);
        assertTrue(single.connectionsAccepted() <= 2, "100 streams in flight at once on "
                + single.connectionsAccepted() + " connections");
        single.releaseHeld();
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("single", r.body());
        }
    }

    @Test
    void h2MemberOverTlsIsReachedThroughAlpn() throws Exception {
        HttpResponse<String> r = get("tls/name");
        assertEquals(200, r.statusCode(), r.body() + portico.output());
        assertEquals("tls", r.body());
        assertEquals("HTTP/2.0", tls.protocols().get(tls.protocols().size() - 1));
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
