package org.portico.manager;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;

/**
 * Several standalone Portico instances sharing one store (--shared-state, the engine's optional jar on --lib), each
 * with its own snapshot file, in front of two named backends b1 and b2 (balancer {@code web}, one growth slot).
 */
final class SharedCluster implements AutoCloseable {

    final List<Backend> backends = new ArrayList<>();
    final Path realm;
    final Path stateDir;
    final Path descriptor;
    final String store;
    final Path engineJar;
    final Map<String, PorticoProcess> processes = new LinkedHashMap<>();
    final Map<String, ManagerClient> admins = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param store the address without parameters, e.g. {@code etcd://127.0.0.1:2379/portico} */
    SharedCluster(String store, Path engineJar) throws Exception {
        this.store = store;
        this.engineJar = engineJar;
        for (String name : List.of("b1", "b2")) {
            backends.add(Backend.start(name));
        }
        realm = Files.createTempFile("portico-realm", ".properties");
        Files.writeString(realm, "admin: admin-secret,portico-admin\n");
        stateDir = Files.createTempDirectory("portico-shared");
        descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web" growth="1">
                    <member url="%s" route="r1"/>
                    <member url="%s" route="r2"/>
                  </balancer>
                  <pass path="/web/" to="balancer://web/"/>
                </portico>
                """.formatted(backends.get(0).origin(), backends.get(1).origin()));
    }

    /** Starts instances by name, all at once, and waits until each serves. */
    void start(String... names) throws Exception {
        for (String name : names) {
            launch(name, store);
        }
        awaitServing(names);
    }

    /** Starts one instance that reaches the store at another address (through a relay), and waits until it serves. */
    void startVia(String name, String address) throws Exception {
        launch(name, address);
        awaitServing(name);
    }

    private void launch(String name, String address) throws Exception {
        processes.put(name, PorticoProcess.start(List.of("-Dportico.balancer-persist=true",
                        "-Dportico.state-file=" + stateDir.resolve(name + ".state")),
                "--config", descriptor.toString(), "--realm", realm.toString(), "--port", "0",
                "--shared-state", address + "?ttl=4&instance=" + name, "--lib", engineJar.toString()));
    }

    private void awaitServing(String... names) throws Exception {
        for (String name : names) {
            admins.put(name, new ManagerClient(processes.get(name).awaitUrl(Duration.ofSeconds(90)), "admin",
                    "admin-secret"));
        }
    }

    ManagerClient admin(String name) {
        return admins.get(name);
    }

    String member(int i) {
        return backends.get(i).origin();
    }

    /** The manager's view of the shared state on one instance. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> shared(ManagerClient admin) throws Exception {
        return (Map<String, Object>) admin.status().get("sharedState");
    }

    /** The version of a member's intent that instance applied (the rev an edit sends back). */
    @SuppressWarnings("unchecked")
    static long rev(ManagerClient admin, String balancer, String url) throws Exception {
        Map<String, Object> b = (Map<String, Object>) ((Map<String, Object>) shared(admin).get("balancers")).get(balancer);
        return (Long) ((Map<String, Object>) ((Map<String, Object>) b.get("members")).get(url)).get("rev");
    }

    /** Which instances report on a member, as seen from {@code admin}'s instance. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> observations(ManagerClient admin, String balancer, String url) throws Exception {
        Map<String, Object> b = (Map<String, Object>) ((Map<String, Object>) shared(admin).get("balancers")).get(balancer);
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) b.get("members")).get(url))
                .get("observations");
    }

    static double loadfactor(ManagerClient admin, String url) throws Exception {
        Map<String, Object> w = admin.worker("web", url);
        return w == null ? -1 : ((Number) w.get("loadfactor")).doubleValue();
    }

    /** A GET through one instance's proxy. */
    HttpResponse<String> through(String instance, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(admin(instance).origin + path)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Kills one instance as a crash does (SIGKILL: nothing is revoked or closed). */
    void kill(String name) throws Exception {
        PorticoProcess p = processes.remove(name);
        admins.remove(name);
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        p.close();
    }

    @Override
    public void close() throws Exception {
        for (PorticoProcess p : processes.values()) {
            p.close();
        }
        for (Backend b : backends) {
            b.close();
        }
    }
}
