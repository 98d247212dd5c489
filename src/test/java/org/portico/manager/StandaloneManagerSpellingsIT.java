package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portico.testkit.Backend;
import org.portico.testkit.ManagerSpellings;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.RawHttp;
import org.portico.testkit.RawHttp.RawResponse;

/**
 * The standalone jar runs Jetty with LEGACY URI compliance (so that {@code nodecode} can pass {@code %2F} on),
 * under which {@code /balancer-manager%2f} reached the manager servlet past the security constraint. Every
 * spelling of the path is tried here without credentials and with a user who lacks the role, with the
 * balancer's real nonce and a same-origin Origin, at the root and under a context path: nothing is shown,
 * nothing changes, and the admin still gets in.
 */
@Timeout(120)
class StandaloneManagerSpellingsIT {

    @ParameterizedTest(name = "context ''{0}''")
    @ValueSource(strings = {"", "/p"})
    void noSpellingOfTheManagerPathLetsAnyoneButTheAdminIn(String context) throws Exception {
        try (Backend b1 = Backend.start("b1"); Backend b2 = Backend.start("b2")) {
            Path realm = Files.createTempFile("portico-realm", ".properties");
            Files.writeString(realm, "admin: admin-secret,portico-admin\nguest: guest-secret,user\n");
            Path descriptor = PorticoProcess.descriptor("""
                    <portico xmlns="urn:portico:descriptor:1">
                      <balancer name="web">
                        <member url="%s"/>
                        <member url="%s"/>
                      </balancer>
                      <pass path="/" to="balancer://web/"/>
                    </portico>
                    """.formatted(b1.origin(), b2.origin()));
            List<String> args = new ArrayList<>(List.of("--config", descriptor.toString(), "--realm", realm.toString(),
                    "--port", "0"));
            if (!context.isEmpty()) {
                args.addAll(List.of("--context", context));
            }
            try (PorticoProcess portico = PorticoProcess.start(List.of(), args.toArray(String[]::new))) {
                ManagerClient admin = new ManagerClient(portico.awaitUrl(Duration.ofSeconds(60)), "admin", "admin-secret");
                URI base = URI.create(admin.origin);
                RawHttp http = new RawHttp(base.getHost(), base.getPort());
                String host = base.getHost() + ":" + base.getPort();
                String nonce = admin.nonce("web");
                String form = "b=web&w=" + java.net.URLEncoder.encode(b1.origin(), "UTF-8") + "&w_status_D=1&nonce=" + nonce;
                for (String spelling : ManagerSpellings.ALL) {
                    String target = context + spelling;
                    for (String credentials : List.of("", "Authorization: Basic Z3Vlc3Q6Z3Vlc3Qtc2VjcmV0\r\n")) {
                        RawResponse get = http.exchange("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + credentials
                                + "Connection: close\r\n\r\n");
                        assertFalse(ManagerSpellings.showsTheManager(get.bodyText()),
                                () -> "GET " + target + " " + credentials + "-> " + get.statusLine() + "\n" + get.bodyText());
                        RawResponse post = http.exchange("POST " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + credentials
                                + "Origin: " + admin.origin + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                + "Content-Length: " + form.length() + "\r\nConnection: close\r\n\r\n" + form);
                        // the testkit backend echoes the request, the form's nonce= included: X-Backend says it answered
                        assertFalse(post.header("X-Backend") == null && ManagerSpellings.showsTheManager(post.bodyText()),
                                () -> "POST " + target + " " + credentials + "-> " + post.statusLine() + "\n" + post.bodyText());
                        assertTrue(refusedOrNotTheManager(post, credentials.isEmpty() ? 401 : 403),
                                () -> "POST " + target + " " + credentials + "-> " + post.statusLine() + "\n" + post.bodyText());
                    }
                    assertEquals("Init Ok ", admin.worker("web", b1.origin()).get("status"), () -> spelling + " changed the member");
                }
                RawResponse challenged = http.exchange("GET " + context + "/balancer-manager%2f HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n");
                assertEquals(401, challenged.status(), challenged::bodyText);
                assertEquals("Basic realm=\"portico\"", challenged.header("WWW-Authenticate"), "a challenge the browser can answer");
                assertTrue(admin.get("/balancer-manager").body().contains("Load Balancer Manager"), "the admin still gets in");
            }
        }
    }

    /**
     * Challenged (or forbidden), refused as a bad or unknown path, or handled by the proxy (a backend's answer, or
     * the proxy's error page when the backend answered a POST without reading it): never the manager.
     */
    private static boolean refusedOrNotTheManager(RawResponse r, int refusal) {
        return r.status() == refusal || r.status() == 400 || r.status() == 404 || r.header("X-Backend") != null
                || r.bodyText().contains("<title>502 Proxy Error</title>");
    }
}
