package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.MisbehavingBackend;
import org.portico.testkit.PorticoProcess;

/**
 * The standalone jar in front of named test backends, for the balancer's end-to-end tests. The
 * descriptor is a template: {@code {{n1}}} stands for the origin of backend {@code n1}, and
 * {@code {{dead:x}}} for the origin of a loopback port where nothing listens, reserved under the
 * name {@code x} so that a test can later {@link #bringUp} a backend there. Every response names the
 * backend that answered in {@code X-Backend}.
 */
final class ProxiedBalancers implements AutoCloseable {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(dead:)?([A-Za-z0-9-]+)}}");

    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private final Map<String, Integer> deadPorts = new LinkedHashMap<>();
    private final List<Backend> broughtUp = new ArrayList<>();
    private PorticoProcess portico;
    private String base;

    private ProxiedBalancers() {
    }

    /** Starts the backends the template names, then Portico on the filled-in descriptor. */
    static ProxiedBalancers start(String descriptorTemplate) throws Exception {
        ProxiedBalancers rig = new ProxiedBalancers();
        try {
            Path descriptor = PorticoProcess.descriptor(rig.fillIn(descriptorTemplate));
            rig.portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0");
            String url = rig.portico.awaitUrl(Duration.ofSeconds(30));
            rig.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return rig;
        } catch (Exception | AssertionError e) {
            rig.close();
            throw e;
        }
    }

    private String fillIn(String template) throws Exception {
        // backends first: a port reserved as dead afterwards cannot be one a backend then takes
        Matcher names = PLACEHOLDER.matcher(template);
        while (names.find()) {
            if (names.group(1) == null && !backends.containsKey(names.group(2))) {
                backends.put(names.group(2), Backend.start(names.group(2)));
            }
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            int port;
            if (m.group(1) != null) {
                Integer reserved = deadPorts.get(name);
                port = reserved != null ? reserved : freshDeadPort();
                deadPorts.put(name, port);
            } else {
                port = backends.get(name).port();
            }
            m.appendReplacement(sb, "http://127.0.0.1:" + port);
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A refused port not reserved under another name: bringing one member up must not revive another. */
    private int freshDeadPort() throws Exception {
        for (int i = 0; i < 10; i++) {
            int port = MisbehavingBackend.refusedPort();
            if (!deadPorts.containsValue(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the OS keeps handing out the same free port");
    }

    /** The running backend called {@code name}. */
    Backend backend(String name) {
        Backend b = backends.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no backend " + name + " in the descriptor");
        }
        return b;
    }

    /** Starts a backend called {@code name} on the dead port reserved as {@code deadPort}: the member comes back. */
    Backend bringUp(String deadPort, String name) throws Exception {
        Integer port = deadPorts.get(deadPort);
        if (port == null) {
            throw new IllegalArgumentException("no dead port " + deadPort + " in the descriptor");
        }
        Backend b = Backend.start(name, port);
        broughtUp.add(b);
        return b;
    }

    /** Stops backend {@code name} as a crash would (its member is dead from now on); returns the port it had. */
    int kill(String name) throws Exception {
        Backend b = backend(name);
        int port = b.port();
        b.close();
        return port;
    }

    /** Starts backend {@code name} again on {@code port}, where it was before {@link #kill}: its member comes back. */
    Backend restart(String name, int port) throws Exception {
        Backend b = Backend.start(name, port);
        backends.put(name, b);
        return b;
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    HttpResponse<String> get(String path, String... headerPairs) {
        return Http.get(uri(path), headerPairs);
    }

    /** The backend that answered, from the response's {@code X-Backend}; "-" when Portico answered itself. */
    static String member(HttpResponse<?> r) {
        return r.headers().firstValue("X-Backend").orElse("-");
    }

    /** Sends {@code count} GETs of {@code path} one after another; each must get 200. The members that answered. */
    List<String> membersAnswering(String path, int count, String... headerPairs) {
        List<String> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            HttpResponse<String> r = get(path, headerPairs);
            assertEquals(200, r.statusCode(), () -> path + " -> " + r.statusCode() + " " + r.body() + "\n" + output());
            members.add(member(r));
        }
        return members;
    }

    /** What Portico logged so far, for failure messages. */
    String output() {
        return portico == null ? "" : portico.output();
    }

    @Override
    public void close() throws Exception {
        if (portico != null) {
            portico.close();
        }
        for (Backend b : broughtUp) {
            b.close();
        }
        for (Backend b : backends.values()) {
            b.close();
        }
    }
}
