package org.portico.manager;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;

/**
 * The standalone jar run for the manager's container tests: three named backends (b1 and b2 in
 * balancer {@code web}, b3 free to be added), a realm with {@code admin} (role portico-admin) and
 * {@code guest} (another role), persistence on, and fast sampling for the live picture.
 */
final class ManagerFixture implements AutoCloseable {

    final List<Backend> backends = new ArrayList<>();
    final Path realm;
    final Path stateDir;
    final PorticoProcess portico;
    final ManagerClient admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ManagerFixture() throws Exception {
        for (String name : List.of("b1", "b2", "b3")) {
            backends.add(Backend.start(name));
        }
        realm = Files.createTempFile("portico-realm", ".properties");
        Files.writeString(realm, "admin: admin-secret,portico-admin\nguest: guest-secret,user\n");
        stateDir = Files.createTempDirectory("portico-state");
        portico = startPortico(descriptor(), stateDir.resolve("main.state"), false);
        admin = new ManagerClient(portico.awaitUrl(Duration.ofSeconds(55)), "admin", "admin-secret");
    }

    PorticoProcess startPortico(Path descriptor, Path stateFile, boolean reset) throws Exception {
        return PorticoProcess.start(List.of("-Dportico.balancer-persist=true", "-Dportico.state-file=" + stateFile,
                        "-Dportico.balancer-persist-reset=" + reset, "-Dportico.manager-sample-interval=200ms"),
                "--config", descriptor.toString(), "--realm", realm.toString(), "--port", "0");
    }

    /** Balancers web (b1, b2, one growth slot), edits (unreachable members), full (no slot), dynproxy (empty). */
    Path descriptor() throws Exception {
        return PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web" growth="1">
                    <member url="%s" route="r1"/>
                    <member url="%s" route="r2"/>
                  </balancer>
                  <balancer name="edits" growth="1">
                    <member url="http://127.0.0.1:9" route="e1"/>
                    <member url="http://127.0.0.1:10"/>
                  </balancer>
                  <balancer name="full"><member url="http://127.0.0.1:11"/></balancer>
                  <balancer name="dynproxy" growth="10"/>
                  <pass path="/web/" to="balancer://web/"/>
                  <pass path="/dynproxy" to="balancer://dynproxy/"/>
                </portico>
                """.formatted(backends.get(0).origin(), backends.get(1).origin()));
    }

    /** A plain GET through the proxy. */
    HttpResponse<String> through(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(admin.origin + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code error} of a JSON refusal. */
    static String error(HttpResponse<String> r) {
        return (String) ((Map<?, ?>) Json.parse(r.body())).get("error");
    }

    @Override
    public void close() throws Exception {
        if (portico != null) {
            portico.close();
        }
        for (Backend b : backends) {
            b.close();
        }
    }
}
