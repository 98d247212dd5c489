package org.portico.fidelity;

import static org.portico.fidelity.Scenario.of;
import static org.portico.fidelity.Send.get;

import java.util.List;

/**
 * Protocol upgrades (mod_proxy_http's {@code upgrade=}, mod_proxy_wstunnel's {@code ws://}): what the member
 * receives with the handshake, how a refusal, a switch, an unexpected switch and a dead member are answered.
 */
final class UpgradeScenarios {

    private UpgradeScenarios() {
    }

    static List<FrontConfig> configs() {
        return List.of(upgrade());
    }

    private static Send upgrading(String target) {
        return get(target).with("Connection: Upgrade").with("Upgrade: websocket")
                .with("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==").with("Sec-WebSocket-Version: 13");
    }

    private static FrontConfig upgrade() {
        return FrontConfig.of("upgrade", "upgrade=websocket, upgrade=*, a ws:// worker and a worker without upgrade", """
                ProxyPass /up/ {canned}/ upgrade=websocket
                ProxyPass /star/ {canned}/ upgrade=*
                ProxyPass /ws/ ws://{canned.hostport}/
                ProxyPass /plain/ {canned}/
                ProxyPass /dead/ {dead}/ upgrade=websocket
                """,
                of("up.refused", "the member answers the upgrade with 200: relayed; it got Connection: Upgrade and Upgrade",
                        upgrading("/up/content-type")),
                of("up.refused-403", "the member answers the upgrade with 403: relayed as it came", upgrading("/up/forbidden")),
                of("up.switch", "the member switches: its 101 and headers reach the client", upgrading("/up/switch")),
                of("up.star", "upgrade=* passes any protocol", get("/star/content-type").with("Connection: Upgrade").with("Upgrade: foo")),
                of("up.other-token", "a protocol the worker does not allow goes as plain HTTP, without Upgrade",
                        get("/up/content-type").with("Connection: Upgrade").with("Upgrade: foo")),
                of("up.ws-scheme", "a ws:// worker passes the websocket upgrade without an upgrade parameter",
                        upgrading("/ws/content-type")),
                of("up.ws-plain", "a ws:// worker takes a request without an upgrade as plain HTTP", get("/ws/content-type")),
                of("up.plain-worker", "a worker without upgrade: the Upgrade header is not passed on", upgrading("/plain/content-type")),
                of("up.unexpected-switch", "a member that switches though no upgrade was passed: 502",
                        upgrading("/plain/switch")).statusOnly(),
                of("up.dead", "the member is down: 503", upgrading("/dead/x")).statusOnly());
    }
}
