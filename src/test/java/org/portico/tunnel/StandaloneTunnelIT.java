package org.portico.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Http;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.Poll;
import org.portico.testkit.Scrape;
import org.portico.testkit.WebSocketClient;

/** Upgrade tunnels through the standalone jar (embedded Jetty), a process of its own whose threads are counted. */
class StandaloneTunnelIT implements TunnelBehaviour {

    private static TunnelTopology topology;
    private static PorticoProcess portico;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        topology = TunnelTopology.start();
        Path realm = Files.createTempFile("portico-realm", ".properties");
        realm.toFile().deleteOnExit();
        Files.writeString(realm, "admin: admin-secret,portico-admin\n");
        portico = PorticoProcess.start(List.of(), "--config", topology.descriptor.toString(), "--realm", realm.toString(),
                "--port", "0");
        base = URI.create(portico.awaitUrl(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Override
    public TunnelTopology tunnelTopology() {
        return topology;
    }

    @Override
    public URI base() {
        return base;
    }

    /** The jar's threads, from /proc: the proxy is a process of its own here. */
    @Override
    public int proxyThreads() throws Exception {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(portico.pid()), "task"))) {
            return (int) tasks.count();
        }
    }

    @Test
    void theManagerCountsEachOpenTunnelAsBusyOnItsMember() throws Exception {
        String member = topology.two.url() + "/echo/sticky";
        try (WebSocketClient client = new WebSocketClient()) {
            List<WebSocketClient.Socket> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(client.openWith(ws("sticky/busy"), WAIT, "Cookie", "ROUTEID=s.two"));
            }
            Poll.until(WAIT, () -> scrape().value("portico_member_busy", "member", member), v -> v == 3.0);
            for (WebSocketClient.Socket s : open) {
                s.ws().sendClose(WebSocket.NORMAL_CLOSURE, "");
            }
            Poll.until(WAIT, () -> scrape().value("portico_member_busy", "member", member), v -> v == 0.0);
        }
    }

    private static Scrape scrape() {
        HttpResponse<String> r = Http.get(URI.create(base + "balancer-manager/metrics"), "Authorization",
                Http.basic("admin", "admin-secret"));
        assertEquals(200, r.statusCode(), r::body);
        return new Scrape(r.body());
    }
}
