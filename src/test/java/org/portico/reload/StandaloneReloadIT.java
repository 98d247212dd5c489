package org.portico.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * Hot reload through the standalone jar, observed as an operator would: the descriptor file is rewritten while
 * Portico runs, and what changed shows in real requests to real backends and in the balancer-manager's JSON
 * and XML. Every wait is for a condition (the manager showing the new generation), with generous bounds. One
 * process in watch mode serves the tests that rewrite the file (each starts from fresh members b1 and b2); the
 * manual mode has its own.
 */
@Timeout(300)
class StandaloneReloadIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern FILE_LINE_COLUMN = Pattern.compile("portico-reload\\d*\\.xml:\\d+:\\d+: ");
    private static Backend b1;
    private static Backend b2;
    private static Backend b3;
    private static Path realm;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static DescriptorFile watchedFile;
    private static Path watchedState;
    private static PorticoProcess watching;
    private static String watchingOrigin;
    private DescriptorFile file;
    private Path stateFile;
    private PorticoProcess portico;
    private String origin;

    @BeforeAll
    static void backendsAndPorticoWatching() throws Exception {
        b1 = Backend.start("b1");
        b2 = Backend.start("b2");
        b3 = Backend.start("b3");
        realm = Files.createTempFile("portico-realm", ".properties");
        Files.writeString(realm, "admin: admin-secret,portico-admin\n");
        StandaloneReloadIT starter = new StandaloneReloadIT();
        starter.start("watch");
        watchedFile = starter.file;
        watchedState = starter.stateFile;
        watching = starter.portico;
        watchingOrigin = starter.origin;
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (watching != null) {
            watching.close();
        }
        DescriptorFile.delete(watchedFile);
        if (watchedState != null) {
            Files.deleteIfExists(watchedState);
        }
        for (Backend b : new Backend[] {b1, b2, b3}) {
            if (b != null) {
                b.close();
            }
        }
        Files.deleteIfExists(realm);
    }

    /**
     * The watching process, from fresh members b1 and b2: the file is rewritten without them first, so that no
     * state of an earlier test (a manager edit, counters) is kept. Returns the generation running then.
     */
    private long watchingFromFreshMembers() throws Exception {
        file = watchedFile;
        stateFile = watchedState;
        portico = watching;
        origin = watchingOrigin;
        long g = generation();
        file.write(DescriptorFile.balancer(member(b3)));
        awaitGeneration(g + 1);
        file.write(DescriptorFile.balancer(member(b1), member(b2)));
        awaitGeneration(g + 2);
        return g + 2;
    }

    private static String member(Backend b, String... more) {
        return "url=\"" + b.origin() + "\" route=\"" + b.name() + "\"" + (more.length == 0 ? "" : " " + String.join(" ", more));
    }

    /** Starts Portico on a file with members b1 and b2, persistence on, reloading in {@code mode}. */
    private void start(String mode) throws Exception {
        file = new DescriptorFile();
        file.write(DescriptorFile.balancer(member(b1), member(b2)));
        stateFile = Files.createTempFile("portico-reload", ".state");
        Files.delete(stateFile);
        portico = PorticoProcess.start(List.of("-Dportico.reload-interval=100ms", "-Dportico.balancer-persist=true",
                        "-Dportico.state-file=" + stateFile),
                "--config", file.path.toString(), "--realm", realm.toString(), "--port", "0", "--reload", mode);
        String base = portico.awaitUrl(WAIT);
        origin = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    // ------------------------------------------------------------------ the manager's view

    @SuppressWarnings("unchecked")
    private Map<String, Object> status() throws Exception {
        HttpResponse<String> r = send(manager().header("Accept", "application/json").GET());
        assertEquals(200, r.statusCode(), r.body());
        return new Gson().fromJson(r.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> descriptorStatus() throws Exception {
        return (Map<String, Object>) status().get("descriptor");
    }

    private long generation() throws Exception {
        return ((Number) descriptorStatus().get("generation")).longValue();
    }

    /** Waits until the manager shows generation {@code n}: the reload was observed. */
    private void awaitGeneration(long n) throws Exception {
        Poll.until(WAIT, this::generation, g -> g >= n);
        assertEquals(n, generation());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> worker(Backend b) throws Exception {
        List<Object> balancers = (List<Object>) status().get("balancers");
        for (Object w : (List<Object>) ((Map<String, Object>) balancers.get(0)).get("workers")) {
            if (b.origin().equals(((Map<String, Object>) w).get("name"))) {
                return (Map<String, Object>) w;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private String nonce() throws Exception {
        return (String) ((Map<String, Object>) ((List<Object>) status().get("balancers")).get(0)).get("nonce");
    }

    private HttpRequest.Builder manager() {
        return HttpRequest.newBuilder(URI.create(origin + "/balancer-manager")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin-secret".getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> post(boolean sameOrigin, String... fields) throws Exception {
        StringJoiner form = new StringJoiner("&");
        for (int i = 0; i < fields.length; i += 2) {
            form.add(URLEncoder.encode(fields[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder r = manager().header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        if (sameOrigin) {
            r.header("Origin", origin);
        }
        return send(r);
    }

    private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET through the proxy; the answering backend is in X-Backend. */
    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(30)));
    }

    private String backendOf(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("X-Backend").orElseThrow();
    }

    private static long received(Backend b) {
        return b.received().size();
    }

    // ------------------------------------------------------------------ the behaviour

    @Test
    void aMemberAddedToTheFileGetsTrafficAndARemovedOneGetsNoMore() throws Exception {
        long g = watchingFromFreshMembers();
        file.write(DescriptorFile.balancer(member(b1), member(b2), member(b3)));
        awaitGeneration(g + 1);
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            answered.add(backendOf("/added"));
        }
        assertTrue(answered.contains("b3"), "the new member takes its share: " + answered);
        assertTrue(send(manager().GET().uri(URI.create(origin + "/balancer-manager?xml=1"))).body().contains(b3.origin()));

        file.write(DescriptorFile.balancer(member(b2), member(b3)));
        awaitGeneration(g + 2);
        long b1Before = received(b1);
        for (int i = 0; i < 30; i++) {
            assertFalse("b1".equals(backendOf("/removed")), "a removed member gets no new request");
        }
        assertEquals(b1Before, received(b1));
        String xml = send(manager().GET().uri(URI.create(origin + "/balancer-manager?xml=1"))).body();
        assertFalse(xml.contains(b1.origin()), xml);
        assertTrue(portico.output().contains("Portico descriptor reloaded from"), portico.output());
    }

    @Test
    void aManagerEditAndTheCountersSurviveAReloadThatDoesNotTouchTheMember() throws Exception {
        long g = watchingFromFreshMembers();
        for (int i = 0; i < 10; i++) {
            backendOf("/before");
        }
        long electedB1 = ((Number) worker(b1).get("elected")).longValue();
        assertTrue(electedB1 > 0);
        HttpResponse<String> disable = post(true, "b", "web", "w", b2.origin(), "nonce", nonce(), "w_status_D", "1");
        assertEquals(200, disable.statusCode(), disable.body());

        file.write(DescriptorFile.balancer(member(b1, "loadfactor=\"3\""), member(b2)));
        awaitGeneration(g + 1);
        Map<String, Object> w2 = worker(b2);
        assertTrue(((String) w2.get("status")).contains("Dis"), "the manager's disable stays: " + w2);
        Map<String, Object> w1 = worker(b1);
        assertEquals(3.0, ((Number) w1.get("loadfactor")).doubleValue(), "the file's new loadfactor applies");
        assertTrue(((Number) w1.get("elected")).longValue() >= electedB1, "b1's counters go on: " + w1);
        for (int i = 0; i < 10; i++) {
            assertEquals("b1", backendOf("/after"), "b2 stays disabled");
        }
        // BalancerPersist wrote the state of the new generation: its fingerprint and the kept edit
        String saved = Files.readString(stateFile);
        assertTrue(saved.contains("lbfactor=300"), saved);
        assertTrue(Pattern.compile("status=D\\b").matcher(saved).find(), saved);
    }

    @Test
    void aBadFileKeepsTheRunningDescriptorAndTheLogSaysFileLineAndColumn() throws Exception {
        long g = watchingFromFreshMembers();
        file.write("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web">
                    <member url="%s"
                  </balancer>
                </portico>
                """.formatted(b3.origin()));
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) Poll.until(WAIT, () -> descriptorStatus().get("lastReload"),
                l -> l != null && Boolean.FALSE.equals(((Map<String, Object>) l).get("applied")));
        String message = (String) last.get("message");
        assertTrue(FILE_LINE_COLUMN.matcher(message).find(), message);
        assertEquals(g, generation());
        Poll.until(WAIT, portico::output, out -> out.contains("Portico descriptor reload (file change) refused, generation "
                + g + " goes on: "));
        assertTrue(FILE_LINE_COLUMN.matcher(portico.output()).find(), portico.output());
        for (int i = 0; i < 6; i++) {
            String b = backendOf("/still");
            assertTrue(b.equals("b1") || b.equals("b2"), b);
        }
        file.write(DescriptorFile.balancer(member(b3)));
        awaitGeneration(g + 1);
        assertEquals("b3", backendOf("/fixed"));
    }

    @Test
    void theManagersReloadButtonNeedsTheNonceAndTheSameOriginAndIsAudited() throws Exception {
        start("manual");
        try {
            manualMode();
        } finally {
            portico.close();
            DescriptorFile.delete(file);
            Files.deleteIfExists(stateFile);
        }
    }

    private void manualMode() throws Exception {
        file.write(DescriptorFile.balancer(member(b1), member(b3)));
        assertEquals(1, generation(), "manual mode: a changed file alone reloads nothing");
        HttpResponse<String> get = send(manager().GET().uri(URI.create(origin + "/balancer-manager?reload=1")));
        assertEquals(403, get.statusCode(), get.body());
        assertEquals(403, post(false, "reload", "1", "b", "web", "nonce", nonce()).statusCode());
        assertEquals(403, post(true, "reload", "1", "b", "web", "nonce", "wrong").statusCode());
        assertEquals(1, generation());
        String page = send(manager().GET()).body();
        assertTrue(page.contains("value=\"Reload descriptor\""), "the page offers the button");

        HttpResponse<String> ok = post(true, "reload", "1", "b", "web", "nonce", nonce());
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("added [balancer://web " + b3.origin() + "]"), ok.body());
        assertTrue(ok.body().contains("removed [balancer://web " + b2.origin() + "]"), ok.body());
        assertEquals(2, generation());
        assertNotNull(worker(b3));
        portico.awaitOutput("balancer-manager: admin reloaded the descriptor: applied");

        file.write("<portico xmlns=\"urn:portico:descriptor:1\">\n  <balancer name=\"web\" lbmethod=\"nosuch\"/>\n</portico>\n");
        HttpResponse<String> refused = post(true, "reload", "1", "b", "web", "nonce", nonce());
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(FILE_LINE_COLUMN.matcher(refused.body()).find(), refused.body());
        assertEquals(2, generation());
        portico.awaitOutput("balancer-manager: admin reloaded the descriptor: refused");
    }

    @Test
    void requestsInFlightOnARemovedMemberFinishThere() throws Exception {
        long g = watchingFromFreshMembers();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(http.sendAsync(HttpRequest.newBuilder(URI.create(origin + "/hold/" + i)).timeout(Duration.ofSeconds(120))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Poll.until(WAIT, () -> b1.held() + b2.held(), n -> n == 2);
        file.write(DescriptorFile.balancer(member(b3)));
        awaitGeneration(g + 1);
        for (int i = 0; i < 5; i++) {
            assertEquals("b3", backendOf("/new"));
        }
        b1.releaseHeld();
        b2.releaseHeld();
        List<String> answeredBy = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), r.body());
            answeredBy.add(r.headers().firstValue("X-Backend").orElseThrow());
        }
        answeredBy.sort(null);
        assertEquals(List.of("b1", "b2"), answeredBy, "each held request finished on the member it started on");
    }

    /**
     * Client threads hammer the proxy while the file is rewritten again and again (members added, removed and
     * re-weighted): every request gets a 2xx, and the backends' counts add up to the requests sent.
     */
    @Test
    void reloadingUnderLoadLosesNoRequest() throws Exception {
        long g = watchingFromFreshMembers();
        String[][] configs = {
                {member(b1), member(b2), member(b3)},
                {member(b2), member(b3, "loadfactor=\"2\"")},
                {member(b1, "loadfactor=\"3\""), member(b3)},
                {member(b1), member(b2)},
        };
        long before = received(b1) + received(b2) + received(b3);
        int threads = 8;
        int reloads = 20;
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
                        HttpResponse<String> r = get("/load/" + id + "/" + i);
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
            Poll.until(WAIT, sent::get, n -> n > sentBefore + threads); // traffic runs across every reload
            file.write(DescriptorFile.balancer(configs[m % configs.length]));
            awaitGeneration(g + m);
        }
        stop.set(true);
        for (Thread c : clients) {
            c.join();
        }
        long answered = received(b1) + received(b2) + received(b3) - before;
        System.out.printf("reload under load: %d requests from %d threads, %d reloads, %d failures%n", sent.get(), threads,
                reloads, failures.size());
        assertTrue(failures.isEmpty(), failures.size() + " failure(s), first: " + failures.peek());
        assertEquals(sent.get(), answered, "every request reached exactly one backend");
        assertEquals(g + reloads, generation());
    }
}
