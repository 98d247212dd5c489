package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.MisbehavingBackend;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.RecordedRequest;

/**
 * httpd's {@code ping} on http members, through the standalone jar: a request with a body goes out with
 * {@code Expect: 100-Continue} and its body follows the member's 100; a member that stays silent past its
 * ping gets the head only, and the request fails over with all of its body to the next member, or gets
 * 503 when it was the last. The members that answer have a long ping: a busy machine may be slow to send a 100.
 */
class StandalonePingIT {

    private static final int BODY = 100_000;

    private static Backend good;
    private static MisbehavingBackend silent;
    private static MisbehavingBackend lastSilent;
    private static PorticoProcess portico;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        good = Backend.start("good");
        silent = MisbehavingBackend.start(MisbehavingBackend.Mode.SILENT);
        lastSilent = MisbehavingBackend.start(MisbehavingBackend.Mode.SILENT);
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="answers"><member url="%1$s" ping="10s"/></balancer>
                  <balancer name="failover">
                    <member url="%2$s" ping="500ms" timeout="30s"/>
                    <member url="%1$s" ping="10s"/>
                  </balancer>
                  <balancer name="last"><member url="%3$s" ping="500ms" timeout="30s"/></balancer>
                  <pass path="/answers/" to="balancer://answers/"/>
                  <pass path="/failover/" to="balancer://failover/"/>
                  <pass path="/last/" to="balancer://last/"/>
                </portico>
                """.formatted(good.origin(), silent.origin(), lastSilent.origin()));
        portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0");
        String url = portico.awaitUrl(Duration.ofSeconds(60));
        base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {good, silent, lastSilent}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static HttpResponse<String> post(String path, String body) {
        return Http.send(Http.request(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aRequestWithABodyAsksTheMemberForItsHundredFirst() {
        String body = "a".repeat(BODY);
        HttpResponse<String> r = post("/answers/echo-body/with-body", body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(body, r.body());
        RecordedRequest received = good.onlyRequestUnder("/echo-body/with-body");
        assertEquals("100-Continue", received.header("Expect"), received.toString());
        assertEquals(BODY, received.body().length);

        assertEquals(200, post("/answers/echo-body/empty", "").statusCode());
        assertFalse(good.onlyRequestUnder("/echo-body/empty").has("Expect"), "no body, no probe");
        assertEquals(200, Http.get(URI.create(base + "/answers/name")).statusCode());
        assertFalse(good.onlyRequestUnder("/name").has("Expect"), "a GET has no body to hold back");
    }

    @Test
    void aSilentMemberGetsTheHeadOnlyAndTheRequestFailsOverWithAllOfItsBody() throws Exception {
        String body = "f".repeat(BODY);
        HttpResponse<String> r = post("/failover/echo-body/failover", body);
        assertEquals(200, r.statusCode(), portico::output);
        assertEquals("good", r.headers().firstValue("X-Backend").orElse("-"));
        assertEquals(body, r.body(), "the next member got the whole body");
        assertEquals(1, silent.requestHeads().size(), silent.requestHeads().toString());
        assertTrue(silent.requestHeads().get(0).contains("\r\nExpect: 100-Continue\r\n"), silent.requestHeads().get(0));
        assertEquals(0, silent.bytesAfterHeads(), "the silent member got no byte of the body");
        portico.awaitOutput("failed (PING_TIMEOUT)");
    }

    @Test
    void theLastMemberSilentAnswers503AfterItsPingNotItsTimeout() {
        long t0 = System.nanoTime();
        HttpResponse<String> r = post("/last/echo-body/last", "l".repeat(1000));
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, r.statusCode(), portico::output);
        // ping 500 ms, timeout 30 s: an answer long before the timeout is the ping's (the margin is for busy machines)
        assertTrue(took >= 500 && took < 10_000, "answered after " + took + " ms");
        assertEquals(1, lastSilent.requestHeads().size());
        assertEquals(0, lastSilent.bytesAfterHeads(), "the silent member got no byte of the body");
    }
}
