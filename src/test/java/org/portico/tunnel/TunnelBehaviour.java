package org.portico.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.PatternBytes;
import org.portico.testkit.Poll;
import org.portico.testkit.RawHttp;
import org.portico.testkit.WebSocketBackend;
import org.portico.testkit.WebSocketClient;

/**
 * Upgrade tunnels (WebSocket) through the proxy under test, checked from outside with the JDK's
 * WebSocket client and raw HTTP against {@link TunnelTopology}'s backends. Implemented once per way
 * of running Portico (the jar, the WAR in Jetty, the WAR in Tomcat).
 */
interface TunnelBehaviour {

    Duration WAIT = Duration.ofSeconds(30);

    TunnelTopology tunnelTopology();

    /** The web app's base URL, ending in '/'. */
    URI base();

    /** Threads of the process that runs the proxy, now. */
    int proxyThreads() throws Exception;

    default URI ws(String path) {
        return URI.create(base().toString().replaceFirst("^http", "ws") + path);
    }

    default RawHttp raw() {
        return new RawHttp(base().getHost(), base().getPort());
    }

    default String contextPath() {
        String p = base().getPath();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @Test
    default void textAndBinaryMessagesAreEchoedThroughTheTunnel() throws Exception {
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws("echo/chat"), WAIT);
            assertEquals("hello", s.sendText("hello", WAIT));
            assertEquals("grüße ✓", s.sendText("grüße ✓", WAIT));
            byte[] bytes = {0, 1, 2, (byte) 0xff, 13, 10, 13, 10};
            assertArrayEquals(bytes, s.sendBinary(bytes, WAIT));
            for (int i = 0; i < 50; i++) {
                assertEquals("message " + i, s.sendText("message " + i, WAIT));
            }
            s.ws().sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
            assertEquals(WebSocket.NORMAL_CLOSURE, s.closeCode(WAIT));
        }
    }

    @Test
    @Timeout(150) // the echo's own bound is 120 s: a busy 2-core machine took over the default 30 s in Tomcat
    default void aTenMebibyteMessageComesBackByteExact() throws Exception {
        byte[] big = new PatternBytes(10 << 20).readAllBytes();
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws("echo/big"), WAIT);
            byte[] back = s.sendBinary(big, Duration.ofSeconds(120));
            assertEquals(big.length, back.length);
            assertArrayEquals(big, back);
        }
    }

    @Test
    default void theHandshakeReachesTheMemberWithConnectionUpgradeAndForwardedHeaders() throws Exception {
        WebSocketBackend one = tunnelTopology().one;
        try (WebSocketClient client = new WebSocketClient()) {
            client.open(ws("echo/headers?x=1"), WAIT).ws().sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
        Map<String, String> h = one.handshakes().stream().filter(m -> m.get(":path").equals("/echo/headers?x=1"))
                .findFirst().orElseThrow();
        assertEquals("Upgrade", h.get("Connection"));
        assertEquals("websocket", h.get("Upgrade"));
        assertEquals("127.0.0.1:" + one.port(), h.get("Host"));
        assertEquals("127.0.0.1", h.get("X-Forwarded-For"));
        assertEquals(base().getHost() + ":" + base().getPort(), h.get("X-Forwarded-Host"));
        assertTrue(h.containsKey("Sec-WebSocket-Key"), h::toString);
    }

    @Test
    default void aWsSchemeMemberTunnelsWebSocketWithoutAnUpgradeParameter() throws Exception {
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws("ws/chat"), WAIT);
            assertEquals("over ws://", s.sendText("over ws://", WAIT));
        }
    }

    @Test
    default void aWssMemberIsReachedOverTlsWithItsTrustStore() throws Exception {
        byte[] mib = new PatternBytes(1 << 20).readAllBytes();
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws("wss/chat"), WAIT);
            assertEquals("over TLS", s.sendText("over TLS", WAIT));
            assertArrayEquals(mib, s.sendBinary(mib, WAIT));
            s.ws().sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
            assertEquals(WebSocket.NORMAL_CLOSURE, s.closeCode(WAIT));
        }
        assertEquals("/echo/wss/chat", tunnelTopology().secure.handshakes().get(0).get(":path"));
    }

    @Test
    default void aTlsMemberThatRefusesTheUpgradeHasItsAnswerRelayed() throws Exception {
        RawHttp.RawResponse r = raw().exchange("GET " + contextPath() + "/tls-refuse/403 HTTP/1.1\r\nHost: x\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: close\r\n\r\n");
        assertEquals(403, r.status(), r::toString);
        assertEquals("refused by secure", r.bodyText());
    }

    @Test
    default void aCloseFromTheBackendReachesTheClient() throws Exception {
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws("bye/now"), WAIT);
            s.ws().sendText("anything", true);
            assertEquals(4000, s.closeCode(WAIT));
        }
    }

    @Test
    default void aCloseFromTheClientReachesTheBackend() throws Exception {
        WebSocketBackend one = tunnelTopology().one;
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws("echo/closing"), WAIT);
            assertEquals("x", s.sendText("x", WAIT));
            int before = one.closeCodes().size();
            s.ws().sendClose(4001, "client leaves").get(30, TimeUnit.SECONDS);
            Poll.until(WAIT, () -> one.closeCodes().subList(before, one.closeCodes().size()), c -> c.contains(4001));
        }
    }

    @Test
    default void aClientThatDropsItsConnectionClosesTheBackendSide() throws Exception {
        WebSocketBackend one = tunnelTopology().one;
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws("echo/abort"), WAIT);
            assertEquals("y", s.sendText("y", WAIT));
            int before = one.closeCodes().size();
            s.ws().abort(); // TCP closed without a close frame
            // the backend sees its connection end without a close frame: 1006
            Poll.until(WAIT, () -> one.closeCodes().subList(before, one.closeCodes().size()), c -> c.contains(1006));
        }
    }

    @Test
    default void aRefusedUpgradeIsRelayedAsTheBackendsResponse() throws Exception {
        for (int status : new int[] {200, 403}) {
            RawHttp.RawResponse r = raw().exchange("GET " + contextPath() + "/refuse/" + status + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: close\r\n\r\n");
            assertEquals(status, r.status(), r::toString);
            assertEquals("refused by one", r.bodyText());
            assertEquals("one", r.header("X-Backend"));
        }
    }

    @Test
    default void anUpgradeToAWorkerWithoutTheUpgradeParameterGoesAsPlainHttp() throws Exception {
        RawHttp.RawResponse r = raw().exchange("GET " + contextPath() + "/plain/x HTTP/1.1\r\nHost: x\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: close\r\n\r\n");
        // the Upgrade header was not passed on, so the backend answered as to any GET
        assertEquals(404, r.status(), r::toString);
        assertEquals("refused by one", r.bodyText());
    }

    @Test
    default void anUpgradeToAMemberThatIsDownGets503() throws Exception {
        RawHttp.RawResponse r = raw().exchange("GET " + contextPath() + "/down/x HTTP/1.1\r\nHost: x\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: close\r\n\r\n");
        assertEquals(503, r.status(), r::toString);
    }

    @Test
    default void aStickyHandshakeLandsOnTheMemberOfItsRoute() throws Exception {
        try (WebSocketClient client = new WebSocketClient()) {
            for (String route : List.of("two", "one", "two", "two", "one")) {
                WebSocketClient.Socket s = client.openWith(ws("sticky/who"), WAIT, "Cookie", "ROUTEID=session." + route);
                assertEquals(route, s.sendText("whoami", WAIT));
                s.ws().sendClose(WebSocket.NORMAL_CLOSURE, "");
            }
        }
    }

    /**
     * Whether the container closes the client's connection when the proxy closes an upgraded connection from a
     * thread of its own (the idle timer). Tomcat's servlet upgrade closes the socket only in its own next event
     * on that connection (the client's next bytes or close), since the Servlet API gives no other way to ask.
     */
    default boolean closesIdleClientConnections() {
        return true;
    }

    @Test
    default void anIdleTunnelClosesAfterTheWorkersTimeout() throws Exception {
        WebSocketBackend two = tunnelTopology().two;
        try (WebSocketClient client = new WebSocketClient()) {
            WebSocketClient.Socket s = client.open(ws("idle/x"), WAIT);
            assertEquals("awake", s.sendText("awake", WAIT));
            int before = two.closeCodes().size();
            long t0 = System.nanoTime();
            // timeout=1s: nothing either way for a second closes the tunnel; the backend sees its connection end
            Poll.until(WAIT, () -> two.closeCodes().subList(before, two.closeCodes().size()), c -> c.contains(1006));
            // the timer counts from the echo's last byte through the proxy, a little before t0
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(500), "closed before the timeout");
            if (closesIdleClientConnections()) {
                s.closed().handle((code, error) -> null).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(420) // its own bounds (300 s for the handshakes, 120 s for the closes) rule, not the 30 s default
    default void aThousandIdleTunnelsHoldABoundedNumberOfThreads() throws Exception {
        int tunnels = 1000;
        int before = proxyThreads();
        int baseline = tunnelTopology().one.openSessions();
        List<WebSocketClient.Socket> open = new ArrayList<>();
        try (WebSocketClient client = new WebSocketClient()) {
            Semaphore handshakes = new Semaphore(16); // a handshake holds a container thread until the 101
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < tunnels; i++) {
                handshakes.acquire();
                WebSocketClient.Socket s = new WebSocketClient.Socket();
                open.add(s);
                opening.add(client.openAsync(ws("echo/idle-" + i), s).whenComplete((w, e) -> handshakes.release()));
            }
            CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            Poll.until(WAIT, () -> tunnelTopology().one.openSessions() - baseline, n -> n == tunnels);
            int during = proxyThreads();
            System.out.println(getClass().getSimpleName() + ": proxy threads before " + before + ", with " + tunnels
                    + " idle tunnels " + during);
            // every tunnel still works
            assertEquals("first", open.get(0).sendText("first", WAIT));
            assertEquals("last", open.get(tunnels - 1).sendText("last", WAIT));
            assertTrue(during - before < 64, "threads before: " + before + ", with " + tunnels + " idle tunnels: " + during);
            for (WebSocketClient.Socket s : open) {
                s.ws().sendClose(WebSocket.NORMAL_CLOSURE, "");
            }
            Poll.until(Duration.ofSeconds(120), () -> tunnelTopology().one.openSessions(), n -> n == baseline);
        }
    }
}
