package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.portico.testkit.MisbehavingBackend;
import org.portico.testkit.Poll;
import org.portico.testkit.RawHttp.RawResponse;
import org.portico.testkit.RawHttp.Body;
import org.portico.testkit.RawHttp.Conversation;
import org.portico.testkit.RawHttp.ResponseHead;

/** Failed exchanges with backends and what the client gets (spec section 6). */
interface FailureBehaviour extends ProxyUnderTest {

    @Test
    default void refusedConnectionGivesTheServiceUnavailablePage() {
        HttpResponse<String> r = get("/refused/anything");
        assertErrorPage(503, "503 Service Unavailable", r);
        assertTrue(r.body().contains("The server is temporarily unable to service your"), r::body);
    }

    @Test
    default void theServiceUnavailablePageClosesTheConnectionAndAProxyErrorKeepsItAsHttpdDoes() {
        // httpd's ap_status_drops_connection: 503 (and 400, 408, 411, 413, 414, 500, 501) closes; 502 does not
        RawResponse unavailable = rawGet("/refused/anything", "Connection: keep-alive");
        assertEquals(503, unavailable.status());
        assertEquals("close", unavailable.header("Connection"), unavailable.statusLine());
        RawResponse proxyError = rawGet("/garbage/status-line", "Connection: keep-alive");
        assertEquals(502, proxyError.status());
        assertFalse("close".equalsIgnoreCase(proxyError.header("Connection")), "the connection stays open after a 502");
    }

    @Test
    default void backendThatNeverAnswersGivesProxyErrorAfterTheWorkersTimeout() {
        long start = System.nanoTime();
        HttpResponse<String> r = get("/hang/forever");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertErrorPage(502, "502 Proxy Error", r);
        assertTrue(r.body().contains("<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\n"
                + "The proxy server could not handle the request<p>Reason: <strong>Error reading from remote server</strong></p></p>\n"),
                r::body);
        assertTrue(topology().hang.received("/forever"), "the request reached the backend");
        assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0, "answered before the 1s timeout: " + took);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "the 1s worker timeout was not applied: " + took);
    }

    @Test
    default void garbageStatusLineGivesProxyError() {
        HttpResponse<String> r = get("/garbage/status-line");
        assertErrorPage(502, "502 Proxy Error", r);
        assertTrue(topology().garbage.received("/status-line"));
    }

    @Test
    default void headerLineWithoutColonGivesBadGateway() {
        HttpResponse<String> r = get("/bad-header/line");
        assertErrorPage(502, "502 Bad Gateway", r);
        assertTrue(topology().badHeader.received("/line"));
    }

    @Test
    default void backendDyingAfterItsHeadersBeforeAnyBodyByteGivesProxyError() {
        // nothing had reached the client, so it gets a real answer instead of a cut connection
        HttpResponse<String> r = get("/die-early/body");
        assertErrorPage(502, "502 Proxy Error", r);
    }

    @Test
    default void backendDyingMidBodyWithContentLengthCutsTheClientConnectionShort() throws IOException {
        // keep-alive, so only the connection's end can tell the client that the body is incomplete
        try (Conversation c = converse("GET", "/die-cl/body", "Connection: keep-alive")) {
            ResponseHead head = c.readHead(false);
            assertEquals(200, head.status());
            assertEquals(String.valueOf(MisbehavingBackend.ANNOUNCED_LENGTH), head.header("Content-Length"));
            assertEquals(MisbehavingBackend.SENT_BEFORE_DYING, c.readBody(MisbehavingBackend.SENT_BEFORE_DYING).bytes().length);
            topology().dieWithLength.dieNow();
            Body rest = c.readRest();
            assertFalse(rest.complete(), "a truncated body must not look complete");
            assertEquals(0, rest.bytes().length, "bytes the backend never sent");
        }
    }

    @Test
    default void backendDyingMidChunkedBodyNeverSendsTheLastChunk() throws IOException {
        try (Conversation c = converse("GET", "/die-chunked/body", "Connection: keep-alive")) {
            ResponseHead head = c.readHead(false);
            assertEquals(200, head.status());
            assertEquals("chunked", head.header("Transfer-Encoding"), head.headers()::toString);
            assertEquals(MisbehavingBackend.SENT_BEFORE_DYING, c.readBody(MisbehavingBackend.SENT_BEFORE_DYING).bytes().length);
            topology().dieChunked.dieNow();
            Body rest = c.readRest();
            assertFalse(rest.complete(), "the terminating chunk arrived: the truncated body looks complete");
            assertEquals(0, rest.bytes().length, "bytes the backend never sent");
        }
    }

    /**
     * A connection that ends before the status line: a GET goes out again on a fresh connection (it is
     * idempotent and has no body), a POST does not; both end as 502 when the backend never answers.
     */
    @Test
    default void getCutBeforeItsStatusLineIsSentAgainButAPostIsNot() {
        HttpResponse<String> get = get("/close-before-status/get");
        assertErrorPage(502, "502 Proxy Error", get);
        assertEquals(1 + ProxyRequest.MAX_RESENDS, heads(topology().closeBeforeStatus, "GET /get "),
                () -> topology().closeBeforeStatus.requestHeads().toString());

        RawResponse post = raw("POST", "/close-before-status/post", "x", "Content-Length: 1");
        assertEquals(502, post.status(), post::bodyText);
        assertEquals(1, heads(topology().closeBeforeStatus, "POST /post "),
                () -> topology().closeBeforeStatus.requestHeads().toString());
    }

    private static long heads(MisbehavingBackend backend, String requestLineStart) {
        return backend.requestHeads().stream().filter(h -> h.startsWith(requestLineStart)).count();
    }

    /**
     * A client that goes away mid-download is the client's failure, not the backend's: with
     * failonstatus=502 the member that was serving it must not go into error (it kept its turns).
     */
    @Test
    default void clientClosingMidDownloadDoesNotPutTheMemberInError() throws Exception {
        try (Conversation c = converse("GET", "/download-abort/big?bytes=500000000", "Connection: keep-alive")) {
            assertEquals(200, c.readHead(false).status());
            assertEquals(100_000, c.readBody(100_000).bytes().length);
        }
        // the proxy dropped the backend connection once it saw the client gone (before that, the member's fate was decided)
        Poll.until(Duration.ofSeconds(20), () -> topology().alpha.abortedUnder("/big").size()
                + topology().beta.abortedUnder("/big").size(), n -> n == 1);
        Set<String> answering = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = get("/download-abort/name");
            assertEquals(200, r.statusCode(), r::body);
            answering.add(r.body());
        }
        assertEquals(Set.of("alpha", "beta"), answering, "a member was put into error by the client's disconnect");
    }

    /**
     * httpd's retry loop: the request that meets the dead member fails over to the live one (the
     * member goes into error state), and the following requests skip the dead member.
     */
    @Test
    default void deadBalancerMemberFailsOverAndIsThenSkipped() {
        for (String path : new String[] {"first", "second", "third"}) {
            HttpResponse<String> r = get("/half-dead/" + path);
            assertEquals(200, r.statusCode(), r::body);
            assertEquals("beta", r.headers().firstValue("X-Backend").orElse(null));
            assertEquals("/hd/" + path, topology().beta.onlyRequestUnder("/hd/" + path).path());
        }
    }
}
