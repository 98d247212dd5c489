package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.config.TestDescriptors.load;
import static org.portico.config.TestDescriptors.refused;

import org.junit.jupiter.api.Test;

/** The {@code upgrade} worker parameter and mod_proxy_wstunnel's ws:// scheme in the descriptor. */
class UpgradeParameterTest {

    @Test
    void upgradeTokensAreComparedWithoutCaseAndStarAllowsAny() {
        UpgradeProtocols two = UpgradeProtocols.of("WebSocket, foo");
        assertTrue(two.allows("websocket"));
        assertTrue(two.allows("FOO"));
        assertFalse(two.allows("h2c"));
        assertFalse(two.allows(null));
        assertEquals("websocket,foo", two.toString());
        assertTrue(UpgradeProtocols.of("*").allows("anything"));
        assertFalse(UpgradeProtocols.NONE.allows("websocket"));
    }

    @Test
    void anUpgradeValueWithoutATokenOrWithASeparatorInOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> UpgradeProtocols.of(" , "));
        assertThrows(IllegalArgumentException.class, () -> UpgradeProtocols.of("web/socket"));
    }

    @Test
    void membersAndWorkersCarryTheirUpgradeAndWsImpliesWebSocket() throws Exception {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="http://127.0.0.1:8081/app/" upgrade="websocket"/>
                  <balancer name="chat">
                    <member url="ws://127.0.0.1:8082"/>
                    <member url="http://127.0.0.1:8083"/>
                  </balancer>
                  <pass path="/app/" to="http://127.0.0.1:8081/app/"/>
                  <pass path="/chat/" to="balancer://chat/"/>
                </portico>
                """);
        assertTrue(d.workerFor("http://127.0.0.1:8081/app/").orElseThrow().upgrade().allows("WebSocket"));
        BalancerConfig chat = d.balancer("chat").orElseThrow();
        WorkerConfig ws = chat.members().get(0);
        assertTrue(ws.upgrade().allows("websocket"));
        assertEquals(8082, ws.port());
        assertEquals(80, WorkerConfig.of("ws://chat.example/", WorkerParams.defaults(), null).port());
        assertEquals(BackendScheme.WS, ws.backendScheme());
        assertFalse(chat.members().get(1).upgrade().enabled(), "http:// tunnels nothing unless told");
    }

    @Test
    void anEmptyUpgradeIsRefusedAtItsAttribute() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="http://127.0.0.1:8081/" upgrade=" "/>
                </portico>
                """, 2, 40, "upgrade", "names no protocol");
    }

    @Test
    void wssMembersTunnelWebSocketOverTlsOnPort443ByDefault() throws Exception {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="chat">
                    <member url="wss://chat.example"/>
                    <member url="https://chat2.example" upgrade="websocket"/>
                  </balancer>
                </portico>
                """);
        WorkerConfig wss = d.balancer("chat").orElseThrow().members().get(0);
        assertTrue(wss.secure());
        assertEquals(443, wss.port());
        assertTrue(wss.upgrade().allows("websocket"));
        assertTrue(d.balancer("chat").orElseThrow().members().get(1).upgrade().allows("websocket"));
    }

    @Test
    void anHttp2MemberCannotTakeAnUpgrade() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="h2c://127.0.0.1:8085/" upgrade="websocket"/>
                </portico>
                """, 2, 39, "upgrade", "HTTP/2 member");
    }
}
