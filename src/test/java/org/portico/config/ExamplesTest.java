package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every descriptor in examples/ loads, and the translations of the guides' httpd configurations mean what httpd meant. */
class ExamplesTest {

    /** Surefire runs in the project's base directory. */
    static final Path EXAMPLES = Path.of("examples");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> xml = files.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().toList();
            assertFalse(xml.isEmpty(), "no descriptors in " + EXAMPLES.toAbsolutePath());
            return xml.stream();
        }
    }

    static Descriptor example(String name) throws DescriptorException {
        return DescriptorLoader.load(EXAMPLES.resolve(name));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsAndPassesSomething(Path file) throws DescriptorException {
        Descriptor d = DescriptorLoader.load(file);
        assertFalse(d.passes().isEmpty(), file + " has no pass rule");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sticky-route-cookie.xml", "bytraffic-hot-standby.xml", "failover-tiers.xml",
        "balancer-aware-reverse.xml", "several-balancers.xml", "reverse-proxy-guide.xml", "two-local-backends.xml"})
    void guideTranslationsOnlyUseLoopbackAndDrawNoWarning(String name) throws Exception {
        Descriptor d = example(name);
        assertEquals(List.of(), d.warnings());
        Stream.concat(d.workers().stream(), d.balancers().stream().flatMap(b -> b.members().stream()))
                .forEach(w -> assertEquals("127.0.0.1", w.host(), () -> name + ": " + w.name()));
        assertTrue(Files.readString(EXAMPLES.resolve(name)).startsWith("<!--"), name + " starts with the httpd lines it translates");
    }

    @Test
    void stickyRouteCookieReadsTheRouteAfterTheDot() throws DescriptorException {
        Descriptor d = example("sticky-route-cookie.xml");
        BalancerConfig b = d.balancer("mycluster").orElseThrow();
        assertEquals("BALANCEID", b.stickyCookie());
        assertEquals("BALANCEID", b.stickyPath());
        assertEquals('.', b.separator());
        assertEquals(List.of("node1", "node2"), b.members().stream().map(m -> m.params().route()).toList());
        PassRule all = d.passes().get(0);
        assertTrue(all.isRegex() && all.targetsBalancer());
        assertTrue(all.pattern().matcher("/any/path").matches());
        assertEquals(List.of(new CookieRewrite("127.0.0.1", "localhost")), d.cookieDomains());
    }

    @Test
    void bytrafficHotStandbyWaitsWithItsWeight() throws DescriptorException {
        BalancerConfig b = example("bytraffic-hot-standby.xml").balancer("foo").orElseThrow();
        assertEquals("bytraffic", b.lbmethod());
        WorkerConfig standby = b.members().get(2);
        assertEquals(8085, standby.port());
        assertTrue(standby.params().hasFlag(StatusFlag.HOT_STANDBY), "status=+h");
        assertEquals(400, standby.params().lbfactor());
        assertFalse(b.members().get(0).params().hasFlag(StatusFlag.HOT_STANDBY));
        assertEquals(2, b.effectiveMaxAttempts());
    }

    @Test
    void failoverTiersPutTheOffsiteMembersInLbset1() throws DescriptorException {
        Descriptor d = example("failover-tiers.xml");
        BalancerConfig b = d.balancer("foo").orElseThrow();
        assertEquals(List.of(0, 0, 0, 1, 1), b.members().stream().map(m -> m.params().lbset()).toList());
        assertTrue(b.members().get(2).params().hasFlag(StatusFlag.HOT_STANDBY));
        assertEquals("/apps/", d.passes().get(0).path());
        assertTrue(d.passes().get(0).reverse());
    }

    @Test
    void balancerAwareReverseNeedsNoPerMemberLines() throws DescriptorException {
        Descriptor d = example("balancer-aware-reverse.xml");
        assertEquals("balancer://foo/", d.reverses().get(0).url());
        assertEquals("/apps", d.reverses().get(0).path());
        assertTrue(d.passes().get(0).reverse(), "the pass to the balancer reverses by itself too");
    }

    @Test
    void severalBalancersKeepTheTalksOrderAndTimeout() throws DescriptorException {
        Descriptor d = example("several-balancers.xml");
        assertEquals(Duration.ofSeconds(10), d.balancer("foo").orElseThrow().timeout());
        BalancerConfig javaapps = d.balancer("javaapps").orElseThrow();
        assertEquals("byrequests", javaapps.lbmethod());
        assertTrue(javaapps.members().stream().allMatch(m -> m.scheme().equals("ajp")), "the talk's AJP members");
        assertEquals(List.of(100, 400), javaapps.members().stream().map(m -> m.params().lbfactor()).toList());
        List<String> order = d.passes().stream().map(p -> p.isRegex() ? p.pattern().pattern() : p.path()).toList();
        assertEquals(List.of("/apps/", "/serv/", "/images/", "^(/*.*\\.gif)$", "/"), order);
        assertEquals("http://127.0.0.1:8099", d.workerFor(d.passes().get(3).target().url()).orElseThrow().name());
        assertEquals("http://127.0.0.1:8098", d.workerFor("http://127.0.0.1:8098/logo.png").orElseThrow().name());
    }

    @Test
    void reverseProxyGuideBalancerHasAStandbyAndABackupTier() throws DescriptorException {
        Descriptor d = example("reverse-proxy-guide.xml");
        List<WorkerConfig> m = d.balancer("myset").orElseThrow().members();
        assertEquals(300, m.get(1).params().lbfactor());
        assertEquals(Duration.ofSeconds(1), m.get(1).params().timeout());
        assertTrue(m.get(2).params().hasFlag(StatusFlag.HOT_STANDBY));
        assertEquals(List.of(0, 0, 0, 1, 1), m.stream().map(w -> w.params().lbset()).toList());
        assertEquals("/images/", d.passes().get(0).path(), "the more specific rule comes first");
        assertEquals("http://127.0.0.1:8100/", d.passes().get(1).target().url());
        assertEquals(List.of("/images/", "/"), d.reverses().stream().map(ReverseRule::path).toList());
    }

    @Test
    void twoLocalBackendsShareOneBalancer() throws DescriptorException {
        Descriptor d = example("two-local-backends.xml");
        BalancerConfig b = d.balancer("mycluster").orElseThrow();
        assertEquals(List.of(8000, 8001), b.members().stream().map(WorkerConfig::port).toList());
        assertEquals("balancer://mycluster/", d.passes().get(0).target().url());
        assertEquals("balancer://mycluster/", d.reverses().get(0).url());
    }
}
