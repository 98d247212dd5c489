package org.portico.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;

/**
 * Hot reload of the built WAR in a servlet container, configured by the container's own context params
 * ({@code portico.reload=watch}): a rewritten descriptor file is served without redeploying, a bad one is
 * refused with {@code file:line:column} while the running one goes on, and reloading under load loses no
 * request. A subclass per container adds that container's way of setting the params.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Timeout(300)
abstract class ContainerReload {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Backend b1;
    private static Backend b2;
    static DescriptorFile file;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    private URL base;

    /** The context params the subclass sets the container's way: name, value, name, value. */
    static String[] params() {
        return new String[] {"portico.descriptor", file.path.toString(), "portico.reload", "watch",
                "portico.reload-interval", "100ms"};
    }

    /**
     * Starts the backends, writes the descriptor (b1 only) and returns a copy of the built WAR. The params are
     * also set as system properties, which win over context params: the container runs in the test JVM, where
     * another test class may have left its own.
     */
    static WebArchive builtWar() throws Exception {
        b1 = Backend.start("b1");
        b2 = Backend.start("b2");
        file = new DescriptorFile();
        file.write(DescriptorFile.balancer(member(b1)));
        String[] p = params();
        for (int i = 0; i < p.length; i += 2) {
            System.setProperty(p[i], p[i + 1]);
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/portico.war"));
    }

    @AfterAll
    static void stopBackends() throws Exception {
        for (String name : new String[] {"portico.descriptor", "portico.reload", "portico.reload-interval"}) {
            System.clearProperty(name);
        }
        for (Backend b : new Backend[] {b1, b2}) {
            if (b != null) {
                b.close();
            }
        }
        DescriptorFile.delete(file);
    }

    private static String member(Backend b, String... more) {
        return "url=\"" + b.origin() + "\"" + (more.length == 0 ? "" : " " + String.join(" ", more));
    }

    private URI uri(String path) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return URI.create(root + path);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> descriptorStatus() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("balancer-manager")).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("Authorization", Http.basic("admin", "admin-secret")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return (Map<String, Object>) new Gson().fromJson(r.body(), Map.class).get("descriptor");
    }

    private long generation() throws Exception {
        return ((Number) descriptorStatus().get("generation")).longValue();
    }

    private void awaitGeneration(long n) throws Exception {
        Poll.until(WAIT, this::generation, g -> g >= n);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRewrittenFileIsServedWithoutRedeployingAndABadOneIsRefusedWhereItIsWrong() throws Exception {
        long g = generation();
        file.write(DescriptorFile.balancer(member(b1), member(b2)));
        awaitGeneration(g + 1);
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("both/" + i);
            assertEquals(200, r.statusCode(), r.body());
            answered.add(r.headers().firstValue("X-Backend").orElseThrow());
        }
        assertEquals(Set.of("b1", "b2"), answered, "the added member takes traffic");

        file.write("<portico xmlns=\"urn:portico:descriptor:1\">\n  <balancer name=\"web\">\n    <member url=\"" + b2.origin()
                + "\" loadfactor=\"0\"/>\n  </balancer>\n</portico>\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) Poll.until(WAIT, () -> descriptorStatus().get("lastReload"),
                l -> l != null && Boolean.FALSE.equals(((Map<String, Object>) l).get("applied")));
        String message = (String) last.get("message");
        assertTrue(Pattern.compile("portico-reload\\d*\\.xml:3:\\d+: ").matcher(message).find(), message);
        assertEquals(g + 1, generation(), "the running descriptor goes on");
        assertEquals(200, get("still").statusCode());
        file.write(DescriptorFile.balancer(member(b1), member(b2)));
        awaitGeneration(g + 2);
    }

    @Test
    void reloadingUnderLoadLosesNoRequest() throws Exception {
        String[][] configs = {{member(b1), member(b2)}, {member(b2)}, {member(b1, "loadfactor=\"2\""), member(b2)}, {member(b1)}};
        long before = b1.received().size() + b2.received().size();
        long g = generation();
        int threads = 4;
        int reloads = 8;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread c = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    sent.incrementAndGet();
                    try {
                        HttpResponse<String> r = get("load/" + id + "/" + i);
                        if (r.statusCode() / 100 != 2) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }, "load-" + t);
            c.start();
            clients.add(c);
        }
        for (int m = 1; m <= reloads; m++) {
            long sentBefore = sent.get();
            Poll.until(WAIT, sent::get, n -> n > sentBefore + threads);
            file.write(DescriptorFile.balancer(configs[m % configs.length]));
            awaitGeneration(g + m);
        }
        stop.set(true);
        for (Thread c : clients) {
            c.join();
        }
        System.out.printf("%s: reload under load: %d requests from %d threads, %d reloads, %d failures%n",
                getClass().getSimpleName(), sent.get(), threads, reloads, failures.size());
        assertTrue(failures.isEmpty(), failures.size() + " failure(s), first: " + failures.peek());
        assertEquals(sent.get(), b1.received().size() + b2.received().size() - before);
    }
}
