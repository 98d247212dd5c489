package org.portico.backend.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.portico.testkit.AjpTomcat;
import org.portico.testkit.PatternBytes;
import org.portico.testkit.PorticoProcess;

/**
 * AJP members from the built WAR in a servlet container (a subclass per container), against a real Tomcat AJP
 * connector in its own JVM: the request as the servlet sees it, bodies both ways byte-exact, a wrong secret.
 * Only Tomcat's run has a subclass: a second /portico deployment in the Arquillian Jetty run's one JVM is answered
 * by the first (JettyProxyIT's).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class AjpWarChecks {

    private static final String SECRET = "war-secret";
    private static final long SIZE = 32L << 20;
    private static AjpTomcat tomcat;

    @ArquillianResource
    private URL base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts the AJP backend, points Portico at a descriptor for it and returns a copy of the built WAR. */
    static WebArchive builtWarBehindAjp() throws Exception {
        tomcat = AjpTomcat.start(SECRET, "w1");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="%1$s" secret="%2$s"/>
                  <worker url="%1$s/wrong" secret="wrong"/>
                  <pass path="/ajp/" to="%1$s/"/>
                  <pass path="/wrong/" to="%1$s/wrong/"/>
                </portico>
                """.formatted(tomcat.ajpOrigin(), SECRET));
        System.setProperty("portico.descriptor", descriptor.toString());
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/portico.war"));
    }

    @AfterAll
    static void stopBackend() throws Exception {
        System.clearProperty("portico.descriptor");
        if (tomcat != null) {
            tomcat.close();
            tomcat = null;
        }
    }

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    @Test
    void theServletBehindAjpSeesTheClientAndItsRequest() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/ajp/echo?q=1")).header("X-Custom", "v").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Map<String, String> seen = StandaloneAjpIT.Echo.parse(r.body());
        assertEquals("GET", seen.get("method"));
        assertEquals("/echo", seen.get("uri"));
        assertEquals("q=1", seen.get("query"));
        assertEquals("v", seen.get("h.x-custom"));
        assertEquals("127.0.0.1", seen.get("remote-addr"));
        assertEquals(base.getHost() + ":" + base.getPort(), seen.get("h.host"));
        assertNull(seen.get("h.x-forwarded-for"));
    }

    @Test
    @Timeout(180)
    void bodiesGoUpAndComeDownByteExact() throws Exception {
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(uri("/ajp/up"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternBytes(SIZE)), SIZE)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(PatternBytes.sha256(SIZE) + " " + SIZE + "\n", up.body());
        HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(uri("/ajp/down?bytes=" + SIZE)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        assertEquals(PatternBytes.sha256(SIZE), StandaloneAjpIT.digest(down.body()));
    }

    @Test
    void aWrongSecretGetsTomcatsForbidden() throws Exception {
        assertEquals(403, http.send(HttpRequest.newBuilder(uri("/wrong/echo")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
