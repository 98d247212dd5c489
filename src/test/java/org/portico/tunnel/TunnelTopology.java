package org.portico.tunnel;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.portico.testkit.TestCertificate;
import org.portico.testkit.WebSocketBackend;

/**
 * The WebSocket backends behind the proxy under test and the descriptor that routes to them:
 * <pre>
 * /echo/    -&gt; one/echo/          upgrade=websocket
 * /ws/      -&gt; ws://one/echo/ws/  (mod_proxy_wstunnel's scheme: websocket by default)
 * /bye/     -&gt; one/bye/           upgrade="WebSocket,foo" (the backend closes after the first message)
 * /refuse/  -&gt; one/refuse/        upgrade=* (the backend answers with the status in the path, no upgrade)
 * /plain/   -&gt; one/plain/         no upgrade: proxied as plain HTTP (the backend would switch if asked)
 * /idle/    -&gt; two/echo/idle/     upgrade=websocket timeout=1s
 * /down/    -&gt; a refused port     upgrade=websocket
 * /sticky/  -&gt; balancer://sticky  stickysession=ROUTEID: one/echo/sticky route one, two/echo/sticky route two
 * /wss/        -&gt; wss://secure/echo/wss/   TLS to the member (a trust-store for its test certificate)
 * /tls-refuse/ -&gt; https://secure/refuse/   upgrade=websocket over TLS; the member refuses
 * </pre>
 */
final class TunnelTopology implements AutoCloseable {

    final WebSocketBackend one;
    final WebSocketBackend two;
    /** Speaks TLS only, with a certificate the descriptor's trust-store "private" trusts. */
    final WebSocketBackend secure;
    final int refusedPort;
    final Path descriptor;

    private TunnelTopology() throws Exception {
        one = new WebSocketBackend("one");
        two = new WebSocketBackend("two");
        TestCertificate certificate = TestCertificate.create();
        secure = new WebSocketBackend("secure", certificate);
        refusedPort = freePort();
        String a = one.url();
        String b = two.url();
        String down = "http://127.0.0.1:" + refusedPort;
        String xml = """
                <portico xmlns="urn:portico:descriptor:1">
                  <trust-store id="private" path="%5$s" password="%6$s"/>
                  <worker url="%7$s/echo/" trust-store="private"/>
                  <worker url="%8$s/refuse/" upgrade="websocket" trust-store="private"/>
                  <worker url="%1$s/echo/" upgrade="websocket"/>
                  <worker url="%1$s/bye/" upgrade="WebSocket,foo"/>
                  <worker url="%1$s/refuse/" upgrade="*"/>
                  <worker url="%2$s/echo/idle/" upgrade="websocket" timeout="1s"/>
                  <worker url="%3$s/" upgrade="websocket"/>
                  <balancer name="sticky" stickysession="ROUTEID">
                    <member url="%1$s/echo/sticky" route="one" upgrade="websocket"/>
                    <member url="%2$s/echo/sticky" route="two" upgrade="websocket"/>
                  </balancer>
                  <pass path="/echo/" to="%1$s/echo/"/>
                  <pass path="/ws/" to="%4$s/echo/ws/"/>
                  <pass path="/bye/" to="%1$s/bye/"/>
                  <pass path="/refuse/" to="%1$s/refuse/"/>
                  <pass path="/plain/" to="%1$s/plain/"/>
                  <pass path="/idle/" to="%2$s/echo/idle/"/>
                  <pass path="/down/" to="%3$s/"/>
                  <pass path="/sticky/" to="balancer://sticky/"/>
                  <pass path="/wss/" to="%7$s/echo/wss/"/>
                  <pass path="/tls-refuse/" to="%8$s/refuse/"/>
                </portico>
                """.formatted(a, b, down, a.replace("http://", "ws://"), certificate.trustStore(), TestCertificate.PASSWORD,
                        secure.url().replace("https://", "wss://"), secure.url());
        descriptor = Files.createTempFile("portico-tunnels", ".xml");
        Files.writeString(descriptor, xml, StandardCharsets.UTF_8);
    }

    static TunnelTopology start() throws Exception {
        return new TunnelTopology();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // closed again: connections to it are refused
        }
    }

    @Override
    public void close() throws Exception {
        try {
            one.close();
            secure.close();
        } finally {
            two.close();
            Files.deleteIfExists(descriptor);
        }
    }
}
