package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.RecordedRequest;

/**
 * Failover and error handling of spec §6 through the standalone jar: a POST that meets a dead member
 * is replayed to the hot standby byte for byte (httpd-tests' proxy_balancer.t, with httpd 2.4.71's
 * larger bodies of §12.12), a member in error comes back after {@code retry}, force recovery, and
 * failonstatus. A dead member is a loopback port where nothing listens; "bringing it up" starts a
 * backend on that port.
 */
class StandaloneFailoverIT {

    /** The POST bodies: httpd-tests' four sizes, then 100,000 bytes with Content-Length and chunked. */
    private static final List<Post> POSTS = List.of(new Post(8, false), new Post(64, false), new Post(2048, false),
            new Post(4096, false), new Post(100_000, false), new Post(5_000, true), new Post(100_000, true));

    private static ProxiedBalancers proxy;

    /** One POST case, with a balancer of its own so that it meets the dead member first. */
    private record Post(int bytes, boolean chunked) {
        String name() {
            return "post-" + bytes + (chunked ? "-chunked" : "");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        StringBuilder posts = new StringBuilder();
        StringBuilder passes = new StringBuilder();
        for (Post p : POSTS) {
            // as httpd-tests' balancer://failover: a dead member with retry=1ms (one second in httpd), a hot standby
            posts.append("""
                      <balancer name="%1$s">
                        <member url="{{dead:x}}/%1$s" retry="1s"/>
                        <member url="{{standby}}/echo-body/%1$s" status="+H"/>
                      </balancer>
                    """.formatted(p.name()));
            passes.append("  <pass path=\"/%1$s/\" to=\"balancer://%1$s/\"/>\n".formatted(p.name()));
        }
        proxy = ProxiedBalancers.start("""
                <portico xmlns="urn:portico:descriptor:1">
                %s
                  <balancer name="retry">
                    <member url="{{dead:comeback}}/retry" retry="1s"/>
                    <member url="{{b}}/retry"/>
                  </balancer>
                  <balancer name="force">
                    <member url="{{dead:f1}}/force"/>
                    <member url="{{dead:f2}}/force"/>
                  </balancer>
                  <balancer name="no-force" forcerecovery="false">
                    <member url="{{dead:g1}}/no-force"/>
                    <member url="{{dead:g2}}/no-force"/>
                  </balancer>
                  <balancer name="failonstatus" failonstatus="503">
                    <member url="{{a}}/status/503/failonstatus"/>
                    <member url="{{b}}/failonstatus"/>
                  </balancer>
                  <balancer name="failontimeout" failontimeout="true">
                    <member url="{{a}}/hold/failontimeout" timeout="1s"/>
                    <member url="{{b}}/failontimeout"/>
                  </balancer>
                  <balancer name="plain-503">
                    <member url="{{a}}/status/503/plain-503"/>
                    <member url="{{b}}/plain-503"/>
                  </balancer>
                %s
                  <pass path="/retry/" to="balancer://retry/"/>
                  <pass path="/force/" to="balancer://force/"/>
                  <pass path="/no-force/" to="balancer://no-force/"/>
                  <pass path="/failonstatus/" to="balancer://failonstatus/"/>
                  <pass path="/failontimeout/" to="balancer://failontimeout/"/>
                  <pass path="/plain-503/" to="balancer://plain-503/"/>
                </portico>
                """.formatted(posts, passes));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Timeout(30)
    void postFailsOverFromADeadMemberToTheHotStandbyWithItsBodyIntact() throws Exception {
        for (Post p : POSTS) {
            byte[] body = new byte[p.bytes()];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) ('A' + i % 26);
            }
            HttpRequest.BodyPublisher publisher = p.chunked()
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            HttpResponse<byte[]> r = Http.sendForBytes(Http.request(proxy.uri("/" + p.name() + "/echo_post"),
                    "Content-Type", "application/octet-stream").POST(publisher).build());
            assertEquals(200, r.statusCode(), () -> p + ": " + new String(r.body()) + proxy.output());
            assertEquals("standby", ProxiedBalancers.member(r), p.toString());
            assertArrayEquals(body, r.body(), p + " echoed");

            RecordedRequest received = proxy.backend("standby").onlyRequestUnder("/echo-body/" + p.name() + "/");
            assertArrayEquals(body, received.body(), p + " as the standby received it");
            if (p.chunked() && p.bytes() > 16 * 1024) {
                assertEquals("chunked", received.header("Transfer-Encoding"), p.toString());
            } else {
                assertEquals(String.valueOf(p.bytes()), received.header("Content-Length"), p.toString());
            }
        }
        // each of them met the dead member first (the only regular one) and failed over, as the log says
        for (Post p : POSTS) {
            Poll.until(Duration.ofSeconds(5), proxy::output, out -> out.contains("-> balancer://" + p.name() + " fails over"));
        }
    }

    @Test
    @Timeout(30)
    void memberInErrorServesAgainOnceItsRetryTimeHasPassed() throws Exception {
        long start = System.nanoTime();
        // the dead member fails, the request fails over to b, and the dead member is in error for 1 s
        assertEquals(List.of("b"), proxy.membersAnswering("/retry/x", 1));
        proxy.bringUp("comeback", "back");

        List<String> seen = new ArrayList<>();
        Poll.until(Duration.ofSeconds(10), () -> {
            seen.addAll(proxy.membersAnswering("/retry/x", 1));
            return seen.get(seen.size() - 1);
        }, "back"::equals);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(elapsedMillis >= 1000, "back before its retry time: " + elapsedMillis + " ms, " + seen);
        assertEquals(List.of("back"), seen.stream().filter("back"::equals).toList(), "only b until then: " + seen);
        // and from then on both take turns
        assertEquals(List.of("b", "back", "b", "back"), proxy.membersAnswering("/retry/x", 4));
    }

    @Test
    @Timeout(30)
    void whenEveryMemberIsInErrorForceRecoveryRetriesThemAllAtOnce() throws Exception {
        assertEquals(503, proxy.get("/force/x").statusCode());
        assertEquals(503, proxy.get("/no-force/x").statusCode());
        for (String dead : List.of("f1", "f2", "g1", "g2")) {
            proxy.bringUp(dead, dead);
        }
        // retry is 60 s: only force recovery can bring them back now
        List<String> recovered = proxy.membersAnswering("/force/x", 2);
        assertEquals(Set.of("f1", "f2"), new TreeSet<>(recovered), "both members serve again: " + recovered);

        HttpResponse<String> stillDown = proxy.get("/no-force/x");
        assertEquals(503, stillDown.statusCode(), stillDown::body);
        assertEquals("-", ProxiedBalancers.member(stillDown));
    }

    @Test
    @Timeout(30)
    void failOnStatusPutsTheMemberInErrorButStillReturnsItsAnswer() {
        HttpResponse<String> first = proxy.get("/failonstatus/x");
        assertEquals(503, first.statusCode());
        assertEquals("a", ProxiedBalancers.member(first), "the member's own 503 reaches the client, not retried");
        assertEquals(List.of("b", "b", "b", "b"), proxy.membersAnswering("/failonstatus/x", 4));

        // without failonstatus a backend's 503 is just an answer: a keeps its turns
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = proxy.get("/plain-503/x");
            plain.add(ProxiedBalancers.member(r) + " " + r.statusCode());
        }
        assertEquals(List.of("a 503", "b 200", "a 503", "b 200"), plain);
    }

    @Test
    @Timeout(30)
    void failOnTimeoutPutsAMemberThatTimedOutInError() {
        // a never answers /hold within its 1 s timeout: 502, not retried elsewhere, and a goes into error
        HttpResponse<String> timedOut = proxy.get("/failontimeout/x");
        assertEquals(502, timedOut.statusCode(), timedOut::body);
        assertEquals(1, proxy.backend("a").receivedUnder("/hold/failontimeout").size());
        assertEquals(List.of(), proxy.backend("b").receivedUnder("/failontimeout"));

        assertEquals(List.of("b", "b", "b"), proxy.membersAnswering("/failontimeout/x", 3));
        assertEquals(1, proxy.backend("a").receivedUnder("/hold/failontimeout").size());
    }
}
