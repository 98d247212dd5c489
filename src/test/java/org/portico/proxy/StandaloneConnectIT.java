package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.RawHttp;
import org.portico.testkit.RawHttp.RawResponse;

/**
 * CONNECT on the standalone jar, whose web app sits at the root: a tunnel request for {@code host:port}
 * lands on the proxy servlet there, and a reverse proxy refuses it instead of forwarding it.
 */
@Timeout(60)
class StandaloneConnectIT {

    private static Backend backend;
    private static PorticoProcess portico;
    private static URI url;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.start("origin");
        portico = PorticoProcess.start(List.of(), "--config", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="%s/root/"/>
                </portico>
                """.formatted(backend.origin())).toString(), "--port", "0");
        url = URI.create(portico.awaitUrl(Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void connectIsRefusedWithBadRequestAsHttpdDoesAndNeverForwarded() throws Exception {
        RawResponse r = new RawHttp(url.getHost(), url.getPort()).exchange(
                "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\nConnection: close\r\n\r\n");
        assertEquals(400, r.status(), () -> r.statusLine() + "\n" + r.bodyText() + portico.output());
        assertTrue(r.bodyText().contains("<title>400 Bad Request</title>"), r::bodyText);
        assertEquals(List.of(), backend.received(), "the CONNECT reached the backend");
    }
}
