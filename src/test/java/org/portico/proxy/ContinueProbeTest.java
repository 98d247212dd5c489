package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Failure;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * httpd's ping, decided without a network: which requests are probed, the Expect header, and whether
 * HttpClient's request for the body came in time. A ping of an hour is always in time; one of a
 * millisecond is over before HttpClient can ask (its timeouts count whole milliseconds).
 */
class ContinueProbeTest {

    private static WorkerConfig member(Duration ping) {
        return new WorkerConfig("http://127.0.0.1:8080", URI.create("http://127.0.0.1:8080"),
                WorkerParams.custom().setPing(ping).build(), null);
    }

    private static String[] expect(BasicHttpRequest r) {
        return Arrays.stream(r.getHeaders("Expect")).map(Header::getValue).toArray(String[]::new);
    }

    @Test
    void onlyRequestsWithABodyToAMemberWithPingAreProbed() {
        assertNull(ContinueProbe.of(member(null), true));
        assertNull(ContinueProbe.of(member(Duration.ofSeconds(1)), false));
        BasicHttpRequest r = new BasicHttpRequest("POST", "/x");
        ContinueProbe.of(member(Duration.ofSeconds(1)), true).expect(r);
        assertEquals("100-Continue", String.join(",", expect(r)));
    }

    @Test
    void aClientsOwnExpectationOfA100IsKeptAsItIs() {
        BasicHttpRequest r = new BasicHttpRequest("POST", "/x");
        r.addHeader("Expect", "100-continue");
        ContinueProbe.of(member(Duration.ofSeconds(1)), true).expect(r);
        assertEquals("100-continue", String.join(",", expect(r)));
    }

    @Test
    void theBodyGoesWhenTheMemberAnsweredInTime() {
        ContinueProbe p = ContinueProbe.of(member(Duration.ofHours(1)), true);
        p.sent();
        assertDoesNotThrow(p::bodyAsked);
        assertDoesNotThrow(p::bodyAsked, "later asks for more of the body");
    }

    @Test
    void theBodyNeverGoesOnceThePingIsOver() {
        ContinueProbe p = ContinueProbe.of(member(Duration.ofMillis(1)), true);
        p.sent();
        ContinueProbe.Timeout t = assertThrows(ContinueProbe.Timeout.class, p::bodyAsked);
        assertThrows(ContinueProbe.Timeout.class, p::bodyAsked, "and never later");
        BackendFailure f = BackendFailure.classify(new java.io.IOException("produce", t), true, false);
        assertEquals(Failure.PING_TIMEOUT, f.kind());
        assertEquals(503, f.status());
        assertEquals("Timeout on 100-Continue", f.reason());
        assertEquals(true, f.connectPhase(), "the request may go to another member");
    }

    @Test
    void aFinalResponseBeforeThePingCountsAsTheAnswer() {
        ContinueProbe p = ContinueProbe.of(member(Duration.ofMillis(1)), true);
        p.sent();
        p.responded(); // a 4xx comes without HttpClient asking for the body; a 2xx is followed by the ask
        assertDoesNotThrow(p::bodyAsked);
    }
}
