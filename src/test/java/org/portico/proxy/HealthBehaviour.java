package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.portico.testkit.FlappingBackend.Mode;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.RecordedRequest;

/**
 * mod_proxy_hcheck, ping and outlier ejection inside the servlet container: the checks run in the web app
 * (started and stopped with it), a member silent past its ping gets no byte of the body, whichever container
 * reads it, and a member answering 5xx is ejected by the balancer's {@code eject-after}.
 */
interface HealthBehaviour extends ProxyUnderTest {

    private static String member(HttpResponse<String> r) {
        return r.headers().firstValue("X-Backend").orElse("-") + " " + r.statusCode();
    }

    @Test
    default void aMemberFailingItsHealthCheckLeavesRotationForTheStandbyAndReturns() throws Exception {
        Poll.until(Duration.ofSeconds(30), () -> member(get("/checked/name")), m -> m.equals("flapping 200"));
        topology().flapping.mode(Mode.ERROR_500);
        try {
            Poll.until(Duration.ofSeconds(30), () -> member(get("/checked/name")), m -> m.equals("beta 200"));
        } finally {
            topology().flapping.mode(Mode.UP);
        }
        Poll.until(Duration.ofSeconds(30), () -> member(get("/checked/name")), m -> m.equals("flapping 200"));
    }

    @Test
    default void aMemberAnswering5xxIsEjectedAfterItsThirdAndTheOtherTakesEveryRequest() {
        topology().alpha.script("/ej/name", 500);
        int errors = 0;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = get("/ejecting/name");
            errors += r.statusCode() == 500 ? 1 : 0;
        }
        assertEquals(3, errors, "byrequests alternates until alpha's third 5xx ejects it");
        for (int i = 0; i < 6; i++) {
            assertEquals("beta 200", member(get("/ejecting/name")), "alpha is out for its retry time");
        }
    }

    @Test
    default void aSilentMemberPastItsPingGetsNoBodyAndTheRequestFailsOverWithAllOfIt() {
        String body = "p".repeat(50_000);
        HttpResponse<String> r = Http.send(Http.request(uri("/ping/echo-body/pinged"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals("beta 200", member(r), r.body());
        assertEquals(body, r.body());
        RecordedRequest got = topology().beta.onlyRequestUnder("/echo-body/pinged");
        assertEquals("100-Continue", got.header("Expect"), got.toString());
        assertEquals(1, topology().silent.requestHeads().size(), topology().silent.requestHeads().toString());
        assertTrue(topology().silent.requestHeads().get(0).contains("\r\nExpect: 100-Continue\r\n"));
        assertEquals(0, topology().silent.bytesAfterHeads(), "the silent member got no byte of the body");
    }
}
