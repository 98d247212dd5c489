package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portico.testkit.AjpTomcat;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.PorticoProcess;

/**
 * Every descriptor in {@code examples/} carries real requests through the standalone jar and behaves as its
 * comment says: the file is run as shipped, except that each {@code http://127.0.0.1:PORT} it names becomes a
 * live backend on an ephemeral port (named by the example's port, which it answers in {@code X-Backend}).
 * {@code sticky-route-cookie.xml} and {@code demo.xml} have tests of their own
 * ({@code StandaloneStickyTutorialIT}, {@code StandaloneJarIT}).
 */
class StandaloneExamplesIT {

    private static final Pattern HTTP_ORIGIN = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void twoLocalBackendsShareTheRootAndTheirRedirectsComeBackAsTheProxys() throws Exception {
        try (Example ex = Example.run(dir, "two-local-backends")) {
            assertEquals(Set.of("8000", "8001"), ex.answerersOf("/name", 4));
            HttpResponse<String> r = ex.get("/redirect?to=" + enc(ex.backend("8001").origin() + "/landing"));
            assertEquals(302, r.statusCode(), ex.output());
            assertEquals(ex.base() + "/landing", r.headers().firstValue("Location").orElse(""));
        }
    }

    @Test
    @Timeout(120)
    void balancerAwareReverseMapsEachMembersRedirectUnderApps() throws Exception {
        try (Example ex = Example.run(dir, "balancer-aware-reverse")) {
            assertEquals(Set.of("8091", "8092"), ex.answerersOf("/apps/name", 4));
            // the member's trailing slash and the rest's leading one are glued as httpd glues them
            assertEquals(2, ex.backend("8091").receivedUnder("//name").size());
            for (String member : List.of("8091", "8092")) {
                Backend b = ex.backend(member);
                b.script("//moved", 302, Backend.line("Location", b.origin() + "/landing"));
            }
            Set<String> locations = new TreeSet<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = ex.get("/apps/moved");
                assertEquals(302, r.statusCode(), ex.output());
                locations.add(r.headers().firstValue("X-Backend").orElse("?") + " " + r.headers().firstValue("Location").orElse(""));
            }
            // either member's own address comes back as the proxy's under /apps: httpd 2.4's balancer-aware map
            // (the differential kit's seed4.redirect-through-tiers shows httpd answering the same)
            assertEquals(Set.of("8091 " + ex.base() + "/apps/landing", "8092 " + ex.base() + "/apps/landing"), locations);
        }
    }

    @Test
    @Timeout(120)
    void bytrafficHotStandbyServesOnlyWhenBothMembersAreGone() throws Exception {
        try (Example ex = Example.run(dir, "bytraffic-hot-standby")) {
            assertEquals(Set.of("8083", "8084"), ex.answerersOf("/name", 6));
            ex.stop("8083");
            ex.stop("8084");
            assertEquals(Set.of("8085"), ex.answerersOf("/name", 3), "the standby takes over");
        }
    }

    @Test
    @Timeout(120)
    void failoverTiersFallToTheStandbyThenToTheOffsiteSet() throws Exception {
        try (Example ex = Example.run(dir, "failover-tiers")) {
            assertEquals(Set.of("8091", "8092"), ex.answerersOf("/apps/name", 6));
            ex.stop("8091");
            ex.stop("8092");
            assertEquals(Set.of("8093"), ex.answerersOf("/apps/name", 3), "tier 0's hot standby");
            ex.stop("8093");
            assertEquals(Set.of("8094", "8095"), ex.answerersOf("/apps/name", 6), "lbset 1 once tier 0 is gone");
        }
    }

    @Test
    @Timeout(120)
    void reverseProxyGuideSendsImagesToTheWeightedSetAndTheRestToOneServer() throws Exception {
        try (Example ex = Example.run(dir, "reverse-proxy-guide")) {
            List<String> images = ex.answerers("/images/name", 8);
            assertEquals(2, images.stream().filter("8101"::equals).count(), images.toString());
            assertEquals(6, images.stream().filter("8102"::equals).count(), "loadfactor 3: " + images);
            assertEquals(Set.of("8100"), ex.answerersOf("/name", 2));
            HttpResponse<String> r = ex.get("/redirect?to=" + enc(ex.backend("8100").origin() + "/moved"));
            assertEquals(ex.base() + "/moved", r.headers().firstValue("Location").orElse(""), ex.output());
            ex.stop("8101");
            ex.stop("8102");
            assertEquals(Set.of("8103"), ex.answerersOf("/images/name", 3), "the hot standby");
        }
    }

    @Test
    @Timeout(180)
    void severalBalancersRouteEachPathIncludingTheAjpSet() throws Exception {
        // as the example's comment says, the AJP members get the secret their connector requires
        try (AjpTomcat tc1 = AjpTomcat.start("s3cret", "tc1"); AjpTomcat tc2 = AjpTomcat.start("s3cret", "tc2")) {
            String ajp = Files.readString(Path.of("examples", "several-balancers.xml"))
                    .replace("ajp://127.0.0.1:8096/\"", tc1.ajpOrigin() + "/\" secret=\"s3cret\"")
                    .replace("ajp://127.0.0.1:8097/\"", tc2.ajpOrigin() + "/\" secret=\"s3cret\"");
            try (Example ex = Example.run(dir, "several-balancers", ajp)) {
                assertEquals(Set.of("8091", "8092"), ex.answerersOf("/apps/name", 5));
                assertEquals(Set.of("8098"), ex.answerersOf("/images/name", 2));
                assertEquals(Set.of("8099"), ex.answerersOf("/pics/logo.gif", 1));
                assertEquals("/pics/logo.gif", ex.backend("8099").onlyRequestUnder("/pics").path());
                assertEquals(Set.of("8091", "8092"), ex.answerersOf("/name", 5), "/ goes to balancer foo");
                Set<String> routes = new TreeSet<>();
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> r = ex.get("/serv/session");
                    assertEquals(200, r.statusCode(), r.body() + ex.output());
                    routes.add(r.body().trim());
                }
                assertEquals(Set.of("route: tc1", "route: tc2"), routes, "byrequests over both AJP members");
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One example run by the jar, its http:// addresses served by live backends. */
    private static final class Example implements AutoCloseable {
        private final Map<String, Backend> backends;
        private final PorticoProcess portico;
        private final String base;

        private Example(Map<String, Backend> backends, PorticoProcess portico, String base) {
            this.backends = backends;
            this.portico = portico;
            this.base = base;
        }

        static Example run(Path dir, String name) throws Exception {
            return run(dir, name, Files.readString(Path.of("examples", name + ".xml")));
        }

        static Example run(Path dir, String name, String xml) throws Exception {
            Map<String, Backend> backends = new LinkedHashMap<>();
            try {
                Matcher m = HTTP_ORIGIN.matcher(xml);
                while (m.find()) {
                    if (!backends.containsKey(m.group(1))) {
                        backends.put(m.group(1), Backend.start(m.group(1)));
                    }
                }
                for (Map.Entry<String, Backend> e : backends.entrySet()) {
                    xml = xml.replace("http://127.0.0.1:" + e.getKey(), e.getValue().origin());
                }
                Path descriptor = Files.writeString(dir.resolve(name + ".xml"), xml);
                PorticoProcess p = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0");
                String front = p.awaitUrl(Duration.ofSeconds(60));
                return new Example(backends, p, front.endsWith("/") ? front.substring(0, front.length() - 1) : front);
            } catch (Exception | Error e) {
                for (Backend b : backends.values()) {
                    b.close();
                }
                throw e;
            }
        }

        String base() {
            return base;
        }

        Backend backend(String port) {
            return backends.get(port);
        }

        void stop(String port) throws Exception {
            backends.get(port).close();
        }

        HttpResponse<String> get(String path) {
            return Http.get(URI.create(base + path));
        }

        /** Who answered {@code n} GETs of {@code path}, in order; each must be a 200. */
        List<String> answerers(String path, int n) {
            List<String> who = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HttpResponse<String> r = get(path);
                assertEquals(200, r.statusCode(), path + ": " + r.body() + output());
                who.add(r.headers().firstValue("X-Backend").orElse("?"));
            }
            assertTrue(who.stream().noneMatch("?"::equals), who.toString());
            return who;
        }

        Set<String> answerersOf(String path, int n) {
            return new TreeSet<>(answerers(path, n));
        }

        String output() {
            return "\n" + portico.output();
        }

        @Override
        public void close() throws Exception {
            try {
                portico.close();
            } finally {
                for (Backend b : backends.values()) {
                    b.close();
                }
            }
        }
    }
}
