package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Backend;
import org.portico.testkit.RawHttp.RawResponse;
import org.portico.testkit.RecordedRequest;

/**
 * Request and response headers as mod_proxy_http handles them (spec sections 3.4 and 9), with the
 * descriptor's settings: ProxyPreserveHost off, ProxyAddHeaders on, ProxyVia on.
 */
interface HeaderBehaviour extends ProxyUnderTest {

    List<String> HOP_BY_HOP = List.of("keep-alive", "te", "trailer", "proxy-connection");

    @Test
    default void hopByHopRequestHeadersAndThoseNamedInConnectionAreNotForwarded() {
        RawResponse r = rawGet("/alpha/headers/hop-by-hop",
                "Connection: close, X-Secret",
                "X-Secret: client-to-proxy-only",
                "Keep-Alive: timeout=300",
                "TE: trailers",
                "Trailer: X-Checksum",
                "Proxy-Connection: keep-alive",
                "X-End-To-End: kept");
        assertEquals(200, r.status(), r::bodyText);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/headers/hop-by-hop");
        for (String name : HOP_BY_HOP) {
            assertFalse(received.has(name), () -> name + " was forwarded: " + received);
        }
        assertFalse(received.has("X-Secret"), received::toString);
        // the proxy manages its own backend connection: at most its keep-alive, never the client's tokens
        String connection = received.combined("Connection");
        assertTrue(connection == null || connection.equalsIgnoreCase("keep-alive"), received::toString);
        assertEquals("kept", received.header("X-End-To-End"));
    }

    @Test
    default void upgradeRequestHeaderIsNotForwarded() {
        if (container() == Container.JETTY) {
            // Jetty answers 400 itself to an Upgrade it has no connection factory for; Portico never sees it
            assertRefusedByContainer("/alpha/headers/upgrade", "Upgrade: example/1");
            return;
        }
        RawResponse r = rawGet("/alpha/headers/upgrade", "Upgrade: example/1");
        assertEquals(200, r.status(), r::bodyText);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/headers/upgrade");
        assertFalse(received.has("Upgrade"), received::toString);
    }

    @Test
    default void hopByHopResponseHeadersAndThoseNamedInConnectionAreNotReturned() {
        RawResponse r = rawGet("/alpha/hop-by-hop");
        assertEquals(200, r.status(), r::bodyText);
        assertEquals("kept", r.header("X-End-To-End"));
        assertNull(r.header(Backend.HOP_BY_HOP_SECRET), () -> r.headers().toString());
        for (String name : List.of("keep-alive", "te", "trailer", "upgrade", "proxy-connection", "proxy-authenticate")) {
            assertNull(r.header(name), () -> name + " was returned: " + r.headers());
        }
        for (String connection : r.headers("Connection")) {
            assertFalse(connection.toLowerCase(Locale.ROOT).contains("secret"), () -> r.headers().toString());
        }
    }

    @Test
    default void hostIsTheBackendsHostAndPortAndIsSentFirst() {
        assertEquals(200, get("/alpha/headers/host").statusCode());
        RecordedRequest received = topology().alpha.onlyRequestUnder("/headers/host");
        assertEquals("127.0.0.1:" + topology().alpha.port(), received.header("Host"));
        assertEquals(List.of("127.0.0.1:" + topology().alpha.port()), received.headers("Host"));
        assertEquals("host", received.headerNames().get(0), received::toString);
    }

    @Test
    default void userAgentIsForwardedAsSentAndNoneIsAddedWhenTheClientSentNone() {
        assertEquals(200, rawGet("/alpha/headers/no-agent").status());
        RecordedRequest without = topology().alpha.onlyRequestUnder("/headers/no-agent");
        assertFalse(without.has("User-Agent"), without::toString);
        assertEquals(200, rawGet("/alpha/headers/agent", "User-Agent: curl/8.11.1").status());
        assertEquals(List.of("curl/8.11.1"), topology().alpha.onlyRequestUnder("/headers/agent").headers("User-Agent"));
    }

    @Test
    default void forwardedForHostAndServerAreAdded() {
        assertEquals(200, get("/alpha/headers/forwarded").statusCode());
        RecordedRequest received = topology().alpha.onlyRequestUnder("/headers/forwarded");
        assertEquals("127.0.0.1", received.combined("X-Forwarded-For"));
        assertEquals(front(), received.combined("X-Forwarded-Host"));
        assertEquals("127.0.0.1", received.combined("X-Forwarded-Server"));
    }

    @Test
    default void forwardedHeadersAreMergedWithTheClientsValues() {
        assertEquals(200, get("/alpha/headers/forwarded-merged",
                "X-Forwarded-For", "10.0.0.1",
                "X-Forwarded-Host", "public.example",
                "X-Forwarded-Server", "edge.example").statusCode());
        RecordedRequest received = topology().alpha.onlyRequestUnder("/headers/forwarded-merged");
        assertEquals("10.0.0.1, 127.0.0.1", received.combined("X-Forwarded-For"));
        assertEquals("public.example, " + front(), received.combined("X-Forwarded-Host"));
        assertEquals("edge.example, 127.0.0.1", received.combined("X-Forwarded-Server"));
    }

    @Test
    default void viaIsAddedToTheRequestMergedWithTheClientsAndAppendedToTheResponse() {
        String entry = "1.1 " + front();
        RawResponse r = rawGet("/alpha/headers/via", "Via: 1.0 upstream");
        assertEquals(200, r.status(), r::bodyText);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/headers/via");
        assertEquals("1.0 upstream, " + entry, received.combined("Via"));
        assertEquals(List.of(entry), r.headers("Via"));
    }

    @Test
    default void maxForwardsIsDecremented() {
        assertEquals(200, get("/alpha/headers/max-forwards", "Max-Forwards", "5").statusCode());
        assertEquals("4", topology().alpha.onlyRequestUnder("/headers/max-forwards").header("Max-Forwards"));
    }

    @Test
    default void maxForwardsZeroOnAGetIsAnsweredWith400AndNotForwarded() {
        RawResponse r = rawGet("/alpha/headers/loop", "Max-Forwards: 0");
        assertErrorPage(400, "400 Proxy Error", r.status(), r.header("Content-Type"), r.bodyText());
        assertTrue(r.bodyText().contains("<p>Your browser sent a request that this server could not understand.<br />\n"
                + "The proxy server could not handle the request<p>Reason: <strong>Max-Forwards has reached zero - proxy loop?"
                + "</strong></p></p>\n"), r::bodyText);
        assertTrue(topology().alpha.receivedUnder("/headers/loop").isEmpty());
    }

    @Test
    default void maxForwardsZeroOnOptionsIsAnsweredByTheProxyWithAllowTrace() {
        RawResponse r = raw("OPTIONS", "/alpha/headers/loop-options", null, "Max-Forwards: 0");
        assertEquals(200, r.status());
        assertEquals("TRACE", r.header("Allow"));
        assertTrue(topology().alpha.receivedUnder("/headers/loop-options").isEmpty());
    }

    @Test
    default void disablereuseSendsEachRequestOnAConnectionThatClosesAfterIt() {
        assertEquals(200, rawGet("/noreuse/one").status());
        assertEquals("close", topology().alpha.onlyRequestUnder("/noreuse/one").header("Connection"));
    }

    @Test
    default void repeatedRequestHeadersAreJoinedIntoOneLineAsHttpdDoes() {
        RawResponse r = rawGet("/alpha/headers/repeated", "X-Repeated: one", "X-Other: x", "X-Repeated: two",
                "Cookie: a=1", "Cookie: b=2");
        assertEquals(200, r.status(), r::bodyText);
        RecordedRequest received = topology().alpha.onlyRequestUnder("/headers/repeated");
        assertEquals(List.of("one, two"), received.headers("X-Repeated"));
        assertEquals(List.of("a=1, b=2"), received.headers("Cookie"), "httpd joins Cookie lines too");
        assertEquals("x", received.header("X-Other"));
    }
}
