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
 * AllowEncodedSlashes through the standalone jar, whose Jetty lets {@code %2F} reach Portico: off (httpd's
 * default) answers 404 and proxies nothing, also where a {@code ..%2F} or a {@code !} exclusion is at stake;
 * on decodes it to {@code /}; nodecode forwards it as it came.
 */
@Timeout(120)
class StandaloneEncodedSlashesIT {

    private static Backend backend;
    private static PorticoProcess off;
    private static PorticoProcess on;
    private static PorticoProcess nodecode;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.start("origin");
        off = start(null);
        on = start("on");
        nodecode = start("nodecode");
    }

    private static PorticoProcess start(String mode) throws Exception {
        String settings = mode == null ? "" : "<settings encoded-slashes=\"" + mode + "\"/>";
        PorticoProcess p = PorticoProcess.start(List.of(), "--config", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  %s
                  <pass path="/app/private" exclude="true"/>
                  <pass path="/app/" to="%s/app/"/>
                </portico>
                """.formatted(settings, backend.origin())).toString(), "--port", "0");
        p.awaitUrl(Duration.ofSeconds(60));
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {off, on, nodecode, backend}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static RawResponse get(PorticoProcess portico, String target) throws Exception {
        URI base = URI.create(portico.awaitUrl(Duration.ofSeconds(1)));
        return new RawHttp(base.getHost(), base.getPort()).exchange("GET " + target + " HTTP/1.1\r\nHost: "
                + base.getHost() + ":" + base.getPort() + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void offAnswers404AndProxiesNothing() throws Exception {
        int before = backend.received().size();
        for (String target : List.of("/app/a%2Fb", "/app/a%2fb", "/app/..%2fsecret", "/app/private%2f", "/app/private%2Fx")) {
            RawResponse r = get(off, target);
            assertEquals(404, r.status(), () -> target + ": " + r.bodyText());
            assertTrue(r.bodyText().contains("<title>404 Not Found</title>"), () -> target + ": " + r.bodyText());
        }
        assertEquals(before, backend.received().size(), "no request with %2F reached the backend");
        assertEquals(200, get(off, "/app/a%2Cb").status(), "other escapes pass");
    }

    @Test
    void onDecodesTheSlashBeforeMapping() throws Exception {
        assertEquals(200, get(on, "/app/a%2Fb").status());
        assertEquals("/app/a/b", backend.onlyRequestUnder("/app/a/b").path());
    }

    @Test
    void nodecodeForwardsTheSlashAsItCame() throws Exception {
        assertEquals(200, get(nodecode, "/app/c%2Fd").status());
        assertEquals("/app/c%2Fd", backend.onlyRequestUnder("/app/c%2Fd").path());
    }
}
