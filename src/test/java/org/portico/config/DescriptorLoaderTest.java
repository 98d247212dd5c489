package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.config.TestDescriptors.FILE;
import static org.portico.config.TestDescriptors.load;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a valid descriptor binds to: every attribute, httpd's defaults, implied workers, rule order and warnings. */
class DescriptorLoaderTest {

    static final String FULL = """
            <portico xmlns="urn:portico:descriptor:1">
              <settings preserve-host="true" add-headers="false" via="full" timeout="30s" error-override="true"
                        error-override-statuses="502 503" bad-header="start-body" proxy-100-continue="false"
                        max-forwards="10" server-name="front.example" merge-slashes="false"
                        balancer-growth="7"/>
              <hc-expr name="ok234">%{REQUEST_STATUS} =~ /^[234]/</hc-expr>
              <hc-template name="web" hcmethod="GET" hcuri="/health" hcinterval="10s" hcpasses="2" hcfails="3" hcexpr="ok234"/>
              <hc-template name="tcp" hcinterval="20s"/>
              <worker url="http://127.0.0.1:8090/app" timeout="5s" retry="0s" max="20"/>
              <balancer name="Cluster" lbmethod="bytraffic" stickysession="JSESSIONID|jsessionid" stickysessionsep="Off"
                        scolonpathdelim="true" nofailover="true" failonstatus="500,503" failontimeout="true" timeout="10s"
                        forcerecovery="false" growth="3" nonce="abc">
                <member url="http://127.0.0.1:8081/" loadfactor="3" route="n1" redirect="n2" lbset="1"
                        hctemplate="web" hcinterval="5s"
                        connectiontimeout="250ms" timeout="2m" ttl="1h" retry="30s"/>
                <member url="http://127.0.0.1:8082" loadfactor="2.5" status="+H" route="n2" hctemplate="tcp"/>
                <member url="http://127.0.0.1:8083" status="S-E"/>
              </balancer>
              <balancer name="single" stickysession="ROUTEID">
                <member url="http://127.0.0.1:8084"/>
              </balancer>
              <balancer name="tries" maxattempts="4">
                <member url="http://127.0.0.1:8085"/>
                <member url="http://127.0.0.1:8086"/>
              </balancer>
              <pass path="/static" exclude="true"/>
              <pass path="/app/" to="balancer://cluster/"/>
              <pass path="/one" to="balancer://single/one" reverse="false"/>
              <pass path="/docs/" to="http://127.0.0.1:8090/app/docs/"/>
              <pass path="/other/" to="http://127.0.0.1:8091/other"/>
              <pass path="/more/" to="http://127.0.0.1:8091/more/" reverse="true"/>
              <pass-match pattern="^/img/(.*\\.png)$" to="http://127.0.0.1:8092/images/$1"/>
              <reverse path="/app/" url="balancer://cluster/"/>
              <reverse path="/" url="http://127.0.0.1:8091/"/>
              <reverse-cookie-domain from="127.0.0.1" to="front.example"/>
              <reverse-cookie-path from="/app" to="/"/>
              <reverse-cookie-domain from="backend" to="front"/>
            </portico>
            """;



    final Descriptor d;

    DescriptorLoaderTest() throws DescriptorException {
        d = load(FULL);
    }

    @Test
    void bindsEverySetting() {
        ProxySettings s = d.settings();
        assertTrue(s.preserveHost());
        assertFalse(s.addHeaders());
        assertEquals(ProxySettings.Via.FULL, s.via());
        assertEquals(Duration.ofSeconds(30), s.timeout());
        assertTrue(s.errorOverride());
        assertEquals(Set.of(502, 503), s.errorOverrideStatuses());
        assertEquals(ProxySettings.BadHeader.START_BODY, s.badHeader());
        assertFalse(s.proxy100Continue());
        assertEquals(10, s.maxForwards());
        assertEquals("front.example", s.serverName());
        assertFalse(s.mergeSlashes());
        assertEquals(7, s.balancerGrowth());
        assertTrue(s.overridesError(502));
        assertFalse(s.overridesError(500));
        assertEquals(FILE, d.source());
    }

    @Test
    void bindsBalancerParameters() {
        BalancerConfig b = d.balancer("CLUSTER").orElseThrow();
        assertEquals("cluster", b.name());
        assertEquals("balancer://cluster", b.url());
        assertEquals("bytraffic", b.lbmethod());
        assertTrue(b.sticky());
        assertEquals("JSESSIONID", b.stickyCookie());
        assertEquals("jsessionid", b.stickyPath());
        assertEquals(0, b.separator());
        assertTrue(b.scolonPathDelim());
        assertTrue(b.noFailover());
        assertNull(b.maxAttempts());
        assertEquals(2, b.effectiveMaxAttempts());
        assertEquals(List.of(500, 503), List.copyOf(b.failOnStatus()));
        assertTrue(b.failOnTimeout());
        assertEquals(Duration.ofSeconds(10), b.timeout());
        assertFalse(b.forceRecovery());
        assertEquals(3, b.growth());
        assertEquals("abc", b.nonce());
        assertEquals(new SourceLocation(FILE, 10, 3), b.where());
    }

    @Test
    void balancerDefaultsFollowHttpd() {
        BalancerConfig single = d.balancer("single").orElseThrow();
        assertEquals("byrequests", single.lbmethod());
        assertEquals("ROUTEID", single.stickyCookie());
        assertEquals("ROUTEID", single.stickyPath());
        assertEquals('.', single.separator());
        assertFalse(single.scolonPathDelim());
        assertFalse(single.noFailover());
        assertEquals(0, single.effectiveMaxAttempts(), "one member: no failover attempts");
        assertEquals(Set.of(), single.failOnStatus());
        assertFalse(single.failOnTimeout());
        assertEquals(Duration.ZERO, single.timeout());
        assertTrue(single.forceRecovery());
        assertEquals(0, single.growth());
        assertNull(single.nonce());

        BalancerConfig tries = d.balancer("tries").orElseThrow();
        assertFalse(tries.sticky());
        assertEquals(4, tries.maxAttempts());
        assertEquals(4, tries.effectiveMaxAttempts());
    }

    @Test
    void bindsMemberParameters() {
        List<WorkerConfig> members = d.balancer("cluster").orElseThrow().members();
        assertEquals(3, members.size());

        WorkerConfig first = members.get(0);
        assertEquals("http://127.0.0.1:8081", first.name(), "a trailing slash without a path is dropped from the name");
        assertEquals("127.0.0.1", first.host());
        assertEquals(8081, first.port());
        WorkerParams p = first.params();
        assertEquals(300, p.lbfactor());
        assertEquals(3.0, p.loadfactor());
        assertEquals("n1", p.route());
        assertEquals("n2", p.redirect());
        assertEquals(1, p.lbset());
        assertEquals(0, p.status());
        assertEquals(Duration.ofMillis(250), p.connectionTimeout());
        assertEquals(Duration.ofMinutes(2), p.timeout());
        assertEquals(Duration.ofHours(1), p.ttl());
        assertEquals(Duration.ofSeconds(30), p.retry());
        assertEquals(new SourceLocation(FILE, 13, 5), first.where());

        WorkerParams second = members.get(1).params();
        assertEquals(250, second.lbfactor());
        assertTrue(second.hasFlag(StatusFlag.HOT_STANDBY));
        assertEquals(StatusFlag.HOT_STANDBY.bit(), second.status());

        WorkerParams third = members.get(2).params();
        assertTrue(third.hasFlag(StatusFlag.STOPPED));
        assertFalse(third.hasFlag(StatusFlag.IN_ERROR));
        assertEquals(100, third.lbfactor(), "loadfactor defaults to 1");
    }

    @Test
    void memberWithoutParametersHasHttpdDefaults() {
        WorkerConfig m = d.balancer("single").orElseThrow().members().get(0);
        assertEquals(WorkerParams.defaults(), m.params());
        assertFalse(m.params().hasFlag(StatusFlag.IGNORE_ERRORS), "balancer members do go into error");
        assertEquals(Duration.ofSeconds(30), m.params().effectiveTimeout(d.settings()), "ProxyTimeout");
    }

    @Test
    void memberTakesItsTemplateAndOverridesIt() {
        List<WorkerConfig> members = d.balancer("cluster").orElseThrow().members();
        HealthCheck hc = members.get(0).params().healthCheck();
        assertEquals(new HealthCheck("GET", "/health", Duration.ofSeconds(5), 2, 3, "ok234"), hc);
        assertTrue(hc.enabled());
        assertEquals(new HealthCheck("TCP", "", Duration.ofSeconds(20), 1, 1, ""), members.get(1).params().healthCheck(),
                "a template's method defaults to TCP");
        assertEquals(HealthCheck.NONE, members.get(2).params().healthCheck());
        assertEquals("%{REQUEST_STATUS} =~ /^[234]/", d.hcExprs().get(hc.expr()));
    }

    @Test
    void directWorkerIgnoresErrors() {
        WorkerConfig w = d.workers().get(0);
        assertEquals("http://127.0.0.1:8090/app", w.name());
        assertEquals("/app", w.path());
        assertTrue(w.params().hasFlag(StatusFlag.IGNORE_ERRORS));
        assertEquals(Duration.ofSeconds(5), w.params().timeout());
        assertEquals(Duration.ZERO, w.params().retry());
        assertEquals(20, w.params().max());
        assertEquals(20, w.params().smax(), "smax defaults to max");
        assertEquals(new SourceLocation(FILE, 9, 3), w.where());
    }

    @Test
    void passToAnUndeclaredOriginCreatesOneWorkerForIt() {
        List<String> names = d.workers().stream().map(WorkerConfig::name).toList();
        assertEquals(List.of("http://127.0.0.1:8090/app", "http://127.0.0.1:8091", "http://127.0.0.1:8092"), names,
                "/docs/ shares the declared worker; /other/ and /more/ share one implicit worker");
        WorkerConfig implicit = d.workers().get(1);
        assertEquals(8091, implicit.port());
        assertTrue(implicit.params().hasFlag(StatusFlag.IGNORE_ERRORS));
        assertEquals(new SourceLocation(FILE, 30, 3), implicit.where(), "where the pass that needed it is");

        assertEquals("http://127.0.0.1:8090/app", d.workerFor("http://127.0.0.1:8090/app/docs/x").orElseThrow().name());
        assertEquals("http://127.0.0.1:8091", d.workerFor("http://127.0.0.1:8091/other/x").orElseThrow().name());
        assertEquals("http://127.0.0.1:8092", d.workerFor("http://127.0.0.1:8092/images/a.png").orElseThrow().name());
        assertTrue(d.workerFor("http://127.0.0.1:9999/").isEmpty());
    }

    @Test
    void passRulesKeepTheirOrderAndReverseDefaults() {
        List<PassRule> passes = d.passes();
        assertEquals(7, passes.size());

        PassRule exclusion = passes.get(0);
        assertTrue(exclusion.exclude());
        assertNull(exclusion.target());
        assertEquals("/static", exclusion.path());

        PassRule toBalancer = passes.get(1);
        assertTrue(toBalancer.targetsBalancer());
        assertTrue(toBalancer.reverse(), "reverse defaults to true for balancer targets");
        assertEquals(new SourceLocation(FILE, 27, 3), toBalancer.where());

        assertFalse(passes.get(2).reverse(), "explicit reverse=false");
        assertFalse(passes.get(3).reverse(), "reverse defaults to false for direct targets");
        assertTrue(passes.get(5).reverse(), "explicit reverse=true");

        PassRule match = passes.get(6);
        assertTrue(match.isRegex());
        assertNull(match.path());
        assertEquals("http://127.0.0.1:8092/images/$1", match.target().url());
        var m = match.pattern().matcher("/img/logo.png");
        assertTrue(m.matches());
        assertEquals("logo.png", m.group(1));
        assertFalse(match.pattern().matcher("/img/logo.gif").matches());
    }

    @Test
    void reverseAndCookieRulesKeepTheirOrder() {
        assertEquals(List.of(new ReverseRule("/app/", "balancer://cluster/", BackendTarget.parse("balancer://cluster/"), new SourceLocation(FILE, 33, 3)),
                new ReverseRule("/", "http://127.0.0.1:8091/", BackendTarget.parse("http://127.0.0.1:8091/"), new SourceLocation(FILE, 34, 3))), d.reverses());
        assertEquals(List.of(new CookieRewrite("127.0.0.1", "front.example"), new CookieRewrite("backend", "front")),
                d.cookieDomains());
        assertEquals(List.of(new CookieRewrite("/app", "/")), d.cookiePaths());
    }

    @Test
    void warnsAboutTheTrailingSlashMismatchAndTheSettingsWithoutEffect() {
        assertEquals(3, d.warnings().size(), () -> d.warnings().toString());
        assertTrue(d.warnings().get(0).startsWith(FILE + ":2:3: bad-header start-body has no effect yet"), d.warnings().get(0));
        assertTrue(d.warnings().get(1).startsWith(FILE + ":2:3: balancer-growth has no effect"), d.warnings().get(1));
        String w = d.warnings().get(2);
        assertTrue(w.startsWith(FILE + ":30:3: "), w);
        assertTrue(w.contains("'/other/'") && w.contains("trailing slash"), w);
    }

    @Test
    void warnsAboutHealthChecksThatCannotRun() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <hc-expr name="ok">%{REQUEST_STATUS} == 200</hc-expr>
                  <worker url="http://127.0.0.1:8081" hcmethod="GET"/>
                  <balancer name="b"><member url="http://127.0.0.1:8082" hcmethod="TCP" hcexpr="ok"/></balancer>
                </portico>
                """);
        assertEquals(2, d.warnings().size(), () -> d.warnings().toString());
        assertTrue(d.warnings().get(0).contains(":3:3: hcmethod GET on worker http://127.0.0.1:8081 has no effect: as in httpd,"
                + " health checks run only for balancer members"), d.warnings().get(0));
        assertTrue(d.warnings().get(1).contains(":4:22: hcexpr 'ok' on http://127.0.0.1:8082 has no effect: a TCP check only connects"),
                d.warnings().get(1));
    }

    @Test
    void http2MembersAreTakenAndPreserveHostWarnsThatItHasNoEffectOnThem() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <settings preserve-host="true"/>
                  <balancer name="b"><member url="h2c://127.0.0.1:8082" hcmethod="TCP"/><member url="h2://h2.example"/></balancer>
                </portico>
                """);
        List<WorkerConfig> members = d.balancer("b").orElseThrow().members();
        assertEquals(List.of(BackendScheme.H2C, BackendScheme.H2), members.stream().map(WorkerConfig::backendScheme).toList());
        assertEquals(443, members.get(1).port(), "h2:// defaults to 443");
        assertEquals(1, d.warnings().size(), () -> d.warnings().toString());
        assertTrue(d.warnings().get(0).contains(":3:22: preserve-host has no effect on HTTP/2 worker h2c://127.0.0.1:8082"), d.warnings().get(0));
    }

    @Test
    void pingIsTakenWithoutAWarning() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="b"><member url="http://127.0.0.1:8082" ping="500ms"/></balancer>
                </portico>
                """);
        assertEquals(List.of(), d.warnings());
        assertEquals(Duration.ofMillis(500), d.balancer("b").orElseThrow().members().get(0).params().ping());
    }

    @Test
    void warnsAboutSettingsThatHaveNoEffect() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <settings bad-header="ignore" balancer-growth="3"/>
                  <balancer name="b"><member url="http://127.0.0.1:8082" smax="4" flushpackets="on"/></balancer>
                </portico>
                """);
        String all = String.join("\n", d.warnings());
        assertEquals(4, d.warnings().size(), all);
        assertTrue(all.contains(":2:3: bad-header ignore has no effect yet"), all);
        assertTrue(all.contains(":2:3: balancer-growth has no effect"), all);
        assertTrue(all.contains(":3:22: min and smax on http://127.0.0.1:8082 have no effect"), all);
        assertTrue(all.contains(":3:22: flushpackets and flushwait on http://127.0.0.1:8082 have no effect"), all);
    }

    // ------------------------------------------------------------------ defaults


    @Test
    void aDescriptorWithoutSettingsHasHttpdsDefaults() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="http://127.0.0.1:8081/"/>
                </portico>
                """);
        assertEquals(ProxySettings.defaults(), d.settings());
        assertEquals(List.of(), d.warnings());
        assertEquals(List.of(), d.balancers());
    }

    @Test
    void anEmptySettingsElementHasTheSameDefaults() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <settings/>
                </portico>
                """);
        ProxySettings s = d.settings();
        assertEquals(ProxySettings.defaults(), s);
        assertFalse(s.preserveHost());
        assertTrue(s.addHeaders());
        assertEquals(ProxySettings.Via.OFF, s.via());
        assertEquals(Duration.ofSeconds(60), s.timeout());
        assertEquals(ProxySettings.BadHeader.IS_ERROR, s.badHeader());
        assertEquals(-1, s.maxForwards());
        assertNull(s.serverName());
        assertEquals(5, s.balancerGrowth());
    }

    // ------------------------------------------------------------------ values httpd writes its own way


    @Test
    void failonstatusTakesCommasOrSpacesAsHttpdDoes() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a" failonstatus="503 500, 502"><member url="http://127.0.0.1:8081"/></balancer>
                </portico>
                """);
        assertEquals(List.of(503, 500, 502), List.copyOf(d.balancer("a").orElseThrow().failOnStatus()));
    }

    @Test
    void loadfactorIsTruncatedAfterScalingAsHttpdDoes() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081" loadfactor="1.005"/>
                    <member url="http://127.0.0.1:8082" loadfactor="100"/>
                  </balancer>
                </portico>
                """);
        List<WorkerConfig> m = d.balancer("a").orElseThrow().members();
        assertEquals(100, m.get(0).params().lbfactor());
        assertEquals(10000, m.get(1).params().lbfactor());
    }

    @Test
    void aDirectWorkerDoesNotServeAnotherPortThatItsNamePrefixes() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="http://127.0.0.1:80"/>
                  <pass path="/" to="http://127.0.0.1:8081/"/>
                </portico>
                """);
        assertEquals(List.of("http://127.0.0.1:80", "http://127.0.0.1:8081"),
                d.workers().stream().map(WorkerConfig::name).toList());
        assertEquals("http://127.0.0.1:8081", d.workerFor("http://127.0.0.1:8081/x").orElseThrow().name());
        assertEquals("http://127.0.0.1:80", d.workerFor("http://127.0.0.1:80/x").orElseThrow().name());
    }

    @Test
    void aRegexGroupMayStandForTheWholePathAsInHttpdsGuides() throws DescriptorException {
        Descriptor d = load("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="mycluster"><member url="http://127.0.0.1:8081"/></balancer>
                  <pass-match pattern="^(/.*)$" to="balancer://mycluster$1"/>
                  <pass-match pattern="^(/*.*\\.gif)$" to="http://127.0.0.1:8085$1"/>
                </portico>
                """);
        assertEquals("balancer://mycluster$1", d.passes().get(0).target().url());
        assertTrue(d.passes().get(0).targetsBalancer());
        assertEquals("http://127.0.0.1:8085", d.workerFor("http://127.0.0.1:8085$1").orElseThrow().name());
    }

    @Test
    void aTrustStoreIsResolvedAgainstTheBaseDirectory(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("backends.p12"), new byte[] {1});
        String xml = """
                <portico xmlns="urn:portico:descriptor:1">
                  <trust-store id="backends" path="backends.p12" password="secret"/>
                  <worker url="https://127.0.0.1:8443" trust-store="backends"/>
                  <pass path="/" to="https://127.0.0.1:8443/"/>
                </portico>
                """;
        Descriptor d = DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), FILE, dir);
        TrustStoreConfig t = d.workers().get(0).params().trustStore();
        assertEquals(new TrustStoreConfig("backends", dir.resolve("backends.p12"), "secret", "PKCS12"), t);
        assertFalse(t.toString().contains("secret"), "the password is not printed");
    }

    @Test
    void loadsAFileByPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("portico.xml");
        Files.writeString(file, """
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="http://127.0.0.1:8081/"/>
                </portico>
                """);
        Descriptor d = DescriptorLoader.load(file);
        assertEquals(file.toString(), d.source());
        assertEquals(new SourceLocation(file.toString(), 2, 3), d.passes().get(0).where());
    }
}
