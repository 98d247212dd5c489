package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portico.config.BalancerConfig;
import org.portico.config.Descriptor;
import org.portico.config.HeadLimits;
import org.portico.config.HealthCheck;
import org.portico.config.ProxySettings;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * What each directive and parameter becomes, checked in the imported text and, where it matters, in what
 * the WAR's loader makes of it; with httpd's quirks kept and reported at their file and line.
 */
class HttpdDirectivesTest {

    @TempDir
    Path dir;

    private HttpdImport.Result imported(String text) throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", text);
        Imported.assertValid(r.descriptor());
        return r;
    }

    private String report(HttpdImport.Result r) {
        return Imported.reportText(r);
    }

    private String at(int line) {
        return dir.resolve("httpd.conf") + ":" + line + ": ";
    }

    @Test
    void serverWideDirectivesBecomeSettings() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyPreserveHost On
                ProxyAddHeaders Off
                ProxyVia Full
                ProxyTimeout 30
                ProxyErrorOverride On 502 503
                ProxyBadHeader StartBody
                Proxy100Continue Off
                ProxyMaxForwards 10
                ServerName front.example:8443
                MergeSlashes Off
                AllowEncodedSlashes NoDecode
                BalancerGrowth 7
                BalancerPersist Off
                ProxyRequests Off
                ProxyPass / http://127.0.0.1:9001/
                ProxyHCTPsize 4
                LimitRequestLine 10000
                LimitRequestFieldSize 16380
                LimitRequestFields 0
                """);
        ProxySettings s = Imported.load(r.descriptor()).settings();
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
        assertEquals(ProxySettings.EncodedSlashes.NODECODE, s.encodedSlashes());
        assertEquals(7, s.balancerGrowth());
        assertEquals(4, s.hcThreads());
        assertEquals(new HeadLimits(10000, 16380, 0), s.headLimits());
        assertEquals(List.of("9 note"), Imported.reportLines(r), "only the ServerName's port is worth a word: " + report(r));
    }

    @Test
    void aLimitOverPorticosIsCutWithAWarningAsHttpdReadsItInAnInt() throws Exception {
        // httpd keeps atoi's 5000000000 in an int, 705032704, and takes it; 3000000000 turns negative and is refused
        HttpdImport.Result r = imported("""
                ProxyPass / http://127.0.0.1:9001/
                LimitRequestLine 5000000000
                """);
        assertEquals(new HeadLimits(1048576, 8190, 100), Imported.load(r.descriptor()).settings().headLimits());
        assertEquals(List.of("2 warning"), Imported.reportLines(r));
        assertTrue(report(r).contains(at(2) + "warning: LimitRequestLine 5000000000: imported as 1048576, Portico's limit"),
                report(r));
    }

    @Test
    void theVirtualHostsSettingsWinOverTheMainServers() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyVia On
                ProxyTimeout 30
                <VirtualHost *:80>
                  ProxyVia Block
                  ProxyPass / http://127.0.0.1:9001/
                </VirtualHost>
                """);
        ProxySettings s = Imported.load(r.descriptor()).settings();
        assertEquals(ProxySettings.Via.BLOCK, s.via());
        assertEquals(Duration.ofSeconds(30), s.timeout());
    }

    @Test
    void coreTimeoutIsTheBackendTimeoutWhenThereIsNoProxyTimeout() throws Exception {
        HttpdImport.Result r = imported("Timeout 300\nProxyPass / http://127.0.0.1:9001/\n");
        assertEquals("settings timeout=300s", Imported.canonical(r.descriptor()).get(0));
        assertTrue(report(r).contains(at(1) + "note: Timeout 300: without ProxyTimeout"), report(r));

        HttpdImport.Result both = imported("Timeout 300\nProxyTimeout 20\nProxyPass / http://127.0.0.1:9001/\n");
        assertEquals("settings timeout=20s", Imported.canonical(both.descriptor()).get(0));
        assertTrue(report(both).contains(at(1) + "not imported: Timeout 300"), report(both));
    }

    @Test
    void proxyIOBufferSizeIsThePacketSizeOfTheAjpWorkersThatSetNone() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyIOBufferSize 65536
                ProxyPass /legacy/ ajp://10.0.0.13:8009/legacy/
                ProxyPass /web/ http://10.0.0.14:8080/
                <Proxy balancer://tc>
                  BalancerMember ajp://10.0.0.11:8009
                  BalancerMember ajp://10.0.0.12:8009 iobuffersize=16384
                </Proxy>
                ProxyPass /app/ balancer://tc/
                """);
        Descriptor d = Imported.load(r.descriptor());
        assertEquals(65536, d.workerFor("ajp://10.0.0.13:8009/legacy/").orElseThrow().params().ioBufferSize());
        assertEquals(8192, d.workerFor("http://10.0.0.14:8080/").map(w -> w.params().ioBufferSize()).orElse(8192),
                "an http:// worker keeps its buffers");
        List<WorkerConfig> members = d.balancer("tc").orElseThrow().members();
        assertEquals(65536, members.get(0).params().ioBufferSize());
        assertEquals(16384, members.get(1).params().ioBufferSize(), "a member's own iobuffersize wins");
        assertTrue(report(r).contains(at(1) + "note: ProxyIOBufferSize 65536: imported as iobuffersize=65536 on 2 ajp://"),
                report(r));

        HttpdImport.Result none = imported("ProxyIOBufferSize 65536\nProxyPass / http://127.0.0.1:9001/\n");
        assertTrue(report(none).contains(at(1) + "not imported: ProxyIOBufferSize 65536"), report(none));
    }

    @Test
    void retryTimeoutAndTtlAreWholeSecondsWithTheUnitIgnoredAsInHttpd() throws Exception {
        HttpdImport.Result r = imported("""
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001 retry=1ms timeout=500ms ttl=2s
                  BalancerMember http://127.0.0.1:9002 retry=0 timeout=5
                </Proxy>
                ProxyPass / balancer://c/ timeout=10ms
                """);
        assertEquals("""
                balancer name=c timeout=10s
                  member retry=1s timeout=500s ttl=2s url=http://127.0.0.1:9001
                  member retry=0s timeout=5s url=http://127.0.0.1:9002
                pass path=/ to=balancer://c/""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of("2 warning", "2 warning", "2 warning", "5 warning"), Imported.reportLines(r));
        assertTrue(report(r).contains(at(2) + "warning: retry=1ms: httpd reads retry as whole seconds and ignores 'ms',"
                + " so this is 1 second; imported as retry=\"1s\""), report(r));
        assertTrue(report(r).contains("timeout=500ms: httpd reads timeout as whole seconds and ignores 'ms', so this is 500 seconds"),
                report(r));
    }

    @Test
    void parametersWithUnitsKeepThemAndTakeHttpdsDefaultUnit() throws Exception {
        HttpdImport.Result r = imported("""
                BalancerMember balancer://c http://127.0.0.1:9001 acquire=250 connectiontimeout=3 ping=500ms hcinterval=2mi flushwait=20
                BalancerMember balancer://c http://127.0.0.1:9002 acquire=2s connectiontimeout=1h ping=1
                ProxyPass / balancer://c/
                """);
        List<String> lines = Imported.canonical(r.descriptor());
        assertEquals("  member acquire=250ms connectiontimeout=3s flushwait=20ms hcinterval=2m ping=500ms url=http://127.0.0.1:9001",
                lines.get(1));
        assertEquals("  member acquire=2s connectiontimeout=1h ping=1s url=http://127.0.0.1:9002", lines.get(2));
        assertEquals(List.of(), Imported.reportLines(r));
    }

    @Test
    void loadfactorIsReadAsADecimalTruncatedToHundredths() throws Exception {
        HttpdImport.Result r = imported("""
                BalancerMember balancer://c http://127.0.0.1:9001 loadfactor=2.5
                BalancerMember balancer://c http://127.0.0.1:9002 loadfactor=1.005
                BalancerMember balancer://c http://127.0.0.1:9003 loadfactor=3x
                BalancerMember balancer://c http://127.0.0.1:9004 loadfactor=100
                ProxyPass / balancer://c/
                """);
        List<Integer> lbfactors = Imported.load(r.descriptor()).balancer("c").orElseThrow().members().stream()
                .map(m -> m.params().lbfactor()).toList();
        assertEquals(List.of(250, 100, 300, 10000), lbfactors);
        assertEquals(List.of("1 warning", "2 warning", "3 warning"), Imported.reportLines(r));
        assertTrue(report(r).contains(at(2) + "warning: loadfactor=1.005: httpd reads loadfactor as a decimal (atof), keeping two"
                + " decimals; imported as loadfactor=\"1\""), report(r));
        assertTrue(report(r).contains("ignoring 'x'"), report(r));
    }

    @Test
    void proxyPassParametersOnABalancerUrlAreBalancerParameters() throws Exception {
        HttpdImport.Result r = imported("""
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001 route=a
                  BalancerMember http://127.0.0.1:9002 route=b
                </Proxy>
                ProxyPass /app/ balancer://c/ lbmethod=bybusyness stickysession=JSESSIONID|jsessionid stickysessionsep=off \
                  scolonpathdelim=On nofailover=On maxattempts=2 failonstatus=500,503 failontimeout=on forcerecovery=Off \
                  nonce=abc
                """);
        BalancerConfig b = Imported.load(r.descriptor()).balancer("c").orElseThrow();
        assertEquals("bybusyness", b.lbmethod());
        assertEquals("JSESSIONID", b.stickyCookie());
        assertEquals("jsessionid", b.stickyPath());
        assertEquals(0, b.separator());
        assertTrue(b.scolonPathDelim() && b.noFailover() && b.failOnTimeout());
        assertFalse(b.forceRecovery());
        assertEquals(2, b.maxAttempts());
        assertEquals(Set.of(500, 503), b.failOnStatus());
        assertEquals("abc", b.nonce());
    }

    @Test
    void proxyPassParametersOnAUrlMakeAWorkerElement() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyPass /api/ http://127.0.0.1:9001/api/ timeout=7 retry=0 max=20 min=1 smax=5 keepalive=On \
                  disablereuse=Off ping=1 iobuffersize=16384 receivebuffersize=0 responsefieldsize=16384 \
                  flushpackets=auto
                """);
        assertEquals("""
                worker disablereuse=false flushpackets=auto iobuffersize=16384 keepalive=true max=20 min=1 ping=1s \
                receivebuffersize=0 responsefieldsize=16384 retry=0s smax=5 timeout=7s url=http://127.0.0.1:9001/api/
                pass path=/api/ to=http://127.0.0.1:9001/api/""", Imported.canonicalText(r.descriptor()));
        Descriptor d = Imported.load(r.descriptor());
        WorkerParams p = d.workerFor("http://127.0.0.1:9001/api/x").orElseThrow().params();
        assertEquals(Duration.ofSeconds(7), p.timeout());
        assertEquals(Duration.ZERO, p.retry());
        assertEquals(20, p.max());
        assertTrue(p.hasFlag(StatusFlag.IGNORE_ERRORS), "a direct worker never goes into error state");
    }

    @Test
    void aLaterTargetThatAnEarlierWorkerPrefixesSharesItAndItsParametersAreIgnored() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyPass /a/ http://127.0.0.1:9001/ timeout=5
                ProxyPass /b/ http://127.0.0.1:9001/b/ timeout=9 retry=3
                ProxyPass /c/ http://127.0.0.1:90011/ timeout=4
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9002 loadfactor=2
                  BalancerMember http://127.0.0.1:9002/app loadfactor=5
                </Proxy>
                """);
        assertEquals("""
                worker timeout=5s url=http://127.0.0.1:9001/
                worker timeout=4s url=http://127.0.0.1:90011/
                balancer name=c
                  member loadfactor=2 url=http://127.0.0.1:9002
                pass path=/a/ to=http://127.0.0.1:9001/
                pass path=/b/ to=http://127.0.0.1:9001/b/
                pass path=/c/ to=http://127.0.0.1:90011/""", Imported.canonicalText(r.descriptor()));
        assertTrue(report(r).contains(at(2) + "warning: Ignoring parameter 'timeout=9' for worker 'http://127.0.0.1:9001'"
                + " because of worker sharing"), report(r));
        assertTrue(report(r).contains(at(2) + "warning: Ignoring parameter 'retry=3'"), report(r));
        assertTrue(report(r).contains(at(6) + "warning: BalancerMember http://127.0.0.1:9002/app shares the worker of member"
                + " http://127.0.0.1:9002"), report(r));
        assertEquals(Duration.ofSeconds(5), Imported.load(r.descriptor()).workerFor("http://127.0.0.1:9001/b/x").orElseThrow()
                .params().timeout());
    }

    @Test
    void proxyPassMatchWithoutABackreferenceKeepsItsRuleAndSaysTheWholePathIsAppended() throws Exception {
        HttpdImport.Result r = imported("""
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001
                </Proxy>
                ProxyPassMatch \\.gif$ balancer://c/images
                ProxyPass ~ ^/api/(.*)$ http://127.0.0.1:9002/v1/$1
                """);
        assertEquals("""
                balancer name=c
                  member url=http://127.0.0.1:9001
                pass-match pattern=\\.gif$ to=balancer://c/images
                pass-match pattern=^/api/(.*)$ to=http://127.0.0.1:9002/v1/$1""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of("4 warning"), Imported.reportLines(r));
        assertTrue(report(r).contains("the whole request path is appended"), report(r));
    }

    @Test
    void exclusionsAndFlagsAreKept() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyPass /static/ !
                ProxyPassMatch ^/.*\\.css$ !
                ProxyPass /raw/ http://127.0.0.1:9001/raw/ nocanon noquery
                ProxyPass / http://127.0.0.1:9001/
                """);
        assertEquals("""
                pass exclude=true path=/static/
                pass-match exclude=true pattern=^/.*\\.css$
                pass nocanon=true noquery=true path=/raw/ to=http://127.0.0.1:9001/raw/
                pass path=/ to=http://127.0.0.1:9001/""", Imported.canonicalText(r.descriptor()));
    }

    @Test
    void locationProxyPassesComeFirstTheLastMatchingLocationFirstOfAll() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyPass / http://127.0.0.1:9000/
                <Location /app>
                  ProxyPass http://127.0.0.1:9001/app
                  ProxyPassReverse http://127.0.0.1:9001/app
                </Location>
                <Location /app/admin>
                  ProxyPass !
                </Location>
                <LocationMatch ^/api/(v[0-9])/(.*)$>
                  ProxyPass http://127.0.0.1:9002/$1/$2
                </LocationMatch>
                """);
        assertEquals("""
                pass-match pattern=^/api/(v[0-9])/(.*)$ to=http://127.0.0.1:9002/$1/$2
                pass exclude=true path=/app/admin
                pass path=/app to=http://127.0.0.1:9001/app
                pass path=/ to=http://127.0.0.1:9000/
                reverse path=/app url=http://127.0.0.1:9001/app""", Imported.canonicalText(r.descriptor()));
    }

    @Test
    void balancerMemberAndProxySetOutsideProxyNameTheirBalancer() throws Exception {
        HttpdImport.Result r = imported("""
                BalancerMember balancer://c http://127.0.0.1:9001 route=one
                BalancerMember balancer://C/ignored/path http://127.0.0.1:9002 route=two
                ProxySet balancer://c lbmethod=bytraffic stickysession=ROUTEID
                ProxyPass / balancer://c/
                """);
        assertEquals("""
                balancer lbmethod=bytraffic name=c stickysession=ROUTEID
                  member route=one url=http://127.0.0.1:9001
                  member route=two url=http://127.0.0.1:9002
                pass path=/ to=balancer://c/""", Imported.canonicalText(r.descriptor()));
    }

    @Test
    void proxySectionArgumentsAndProxySetOnAWorker() throws Exception {
        HttpdImport.Result r = imported("""
                <Proxy balancer://c lbmethod=bytraffic growth=3>
                  BalancerMember http://127.0.0.1:9001
                  ProxySet maxattempts=0
                  Require all granted
                </Proxy>
                <Proxy http://127.0.0.1:9002/ timeout=5>
                  ProxySet ping=2 connectiontimeout=250ms
                </Proxy>
                ProxyPass /c/ balancer://c/
                ProxyPass /w/ http://127.0.0.1:9002/w/ retry=9
                """);
        assertEquals("""
                worker connectiontimeout=250ms ping=2s timeout=5s url=http://127.0.0.1:9002/
                balancer growth=3 lbmethod=bytraffic maxattempts=0 name=c
                  member url=http://127.0.0.1:9001
                pass path=/c/ to=balancer://c/
                pass path=/w/ to=http://127.0.0.1:9002/w/""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of("4 not imported", "10 warning"), Imported.reportLines(r), report(r));
    }

    @Test
    void healthCheckParametersExpressionsAndTemplates() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyHCExpr ok234 {%{REQUEST_STATUS} =~ /^[234]/}
                ProxyHCTemplate quick hcmethod=GET hcuri=/health hcinterval=5 hcexpr=ok234
                ProxyHCTemplate quicker hctemplate=quick hcinterval=2
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001 hcmethod=head hcuri=/ping hcinterval=10 hcpasses=2 hcfails=3 hcexpr=ok234
                  BalancerMember http://127.0.0.1:9002 hctemplate=quicker
                  BalancerMember http://127.0.0.1:9003 hcmethod=TCP hctemplate=quick
                </Proxy>
                ProxyPass / balancer://c/
                """);
        assertEquals("""
                hc-expr name=ok234 : %{REQUEST_STATUS} =~ /^[234]/
                hc-template hcexpr=ok234 hcinterval=5s hcmethod=GET hcuri=/health name=quick
                hc-template hcexpr=ok234 hcinterval=2s hcmethod=GET hcuri=/health name=quicker
                balancer name=c
                  member hcexpr=ok234 hcfails=3 hcinterval=10s hcmethod=HEAD hcpasses=2 hcuri=/ping url=http://127.0.0.1:9001
                  member hctemplate=quicker url=http://127.0.0.1:9002
                  member hctemplate=quick url=http://127.0.0.1:9003
                pass path=/ to=balancer://c/""", Imported.canonicalText(r.descriptor()));
        assertTrue(report(r).contains(at(7) + "warning: hctemplate=quick replaces hcmethod written before it"), report(r));
        List<HealthCheck> checks = Imported.load(r.descriptor()).balancer("c").orElseThrow().members().stream()
                .map(m -> m.params().healthCheck()).toList();
        assertEquals(new HealthCheck("HEAD", "/ping", Duration.ofSeconds(10), 2, 3, "ok234"), checks.get(0));
        assertEquals(new HealthCheck("GET", "/health", Duration.ofSeconds(2), 1, 1, "ok234"), checks.get(1));
    }

    @Test
    void statusFlagsAreKeptAndHttpdsInternalOnesReported() throws Exception {
        HttpdImport.Result r = imported("""
                BalancerMember balancer://c http://127.0.0.1:9001 status=D-E
                BalancerMember balancer://c http://127.0.0.1:9002 status=+R
                BalancerMember balancer://c http://127.0.0.1:9003 status=+HO
                ProxyPass / balancer://c/
                """);
        List<String> lines = Imported.canonical(r.descriptor());
        assertEquals("  member status=D-E url=http://127.0.0.1:9001", lines.get(1));
        assertEquals("  member status=+H url=http://127.0.0.1:9003", lines.get(3));
        assertEquals(List.of("3 not imported"), Imported.reportLines(r));
        BalancerConfig b = Imported.load(r.descriptor()).balancer("c").orElseThrow();
        assertTrue(b.members().get(0).params().hasFlag(StatusFlag.DISABLED));
        assertTrue(b.members().get(1).params().hasFlag(StatusFlag.HOT_SPARE));
    }

    @Test
    void ajpMembersAndTargetsOfModProxyAjpAreImportedWithTheirSecretAndCpingChecks() throws Exception {
        HttpdImport.Result r = imported("""
                <Proxy balancer://java>
                  BalancerMember ajp://127.0.0.1:8009 route=tc1 secret=s3 hcmethod=CPING ping=2
                  BalancerMember http://127.0.0.1:8080 route=tc2
                </Proxy>
                ProxyPass /java/ balancer://java/
                ProxyPass /legacy/ ajp://127.0.0.1:8010/legacy/ secret=s4
                ProxyPassReverse /legacy/ ajp://127.0.0.1:8010/legacy/
                """);
        assertEquals("""
                worker secret=s4 url=ajp://127.0.0.1:8010/legacy/
                balancer name=java
                  member hcmethod=CPING ping=2s route=tc1 secret=s3 url=ajp://127.0.0.1:8009
                  member route=tc2 url=http://127.0.0.1:8080
                pass path=/java/ to=balancer://java/
                pass path=/legacy/ to=ajp://127.0.0.1:8010/legacy/
                reverse path=/legacy/ url=ajp://127.0.0.1:8010/legacy/""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of(), Imported.reportLines(r));
        WorkerConfig member = Imported.load(r.descriptor()).balancer("java").orElseThrow().members().get(0);
        assertEquals(8009, member.port());
        assertEquals("s3", member.params().secret());
    }

    @Test
    void aSecretOffAjpAndCpingOnAnHttpMemberAreLeftOutAndReported() throws Exception {
        HttpdImport.Result r = imported("""
                BalancerMember balancer://web http://127.0.0.1:8080 secret=x hcmethod=CPING
                ProxyPass / balancer://web/
                """);
        assertEquals("""
                balancer name=web
                  member url=http://127.0.0.1:8080
                pass path=/ to=balancer://web/""", Imported.canonicalText(r.descriptor()));
        assertTrue(report(r).contains("secret on http://127.0.0.1:8080 is not imported"), report(r));
        assertTrue(report(r).contains("hcmethod CPING on http://127.0.0.1:8080 checks AJP members only"), report(r));
    }


    @Test
    void http2MembersAndTargetsOfModProxyHttp2AreImported() throws Exception {
        HttpdImport.Result r = imported("""
                <Proxy balancer://h2>
                  BalancerMember h2c://127.0.0.1:8009 route=a
                  BalancerMember h2://backend.example route=b
                </Proxy>
                ProxyPass /lb/ balancer://h2/
                ProxyPass /direct/ h2c://127.0.0.1:8010/app/
                ProxyPassReverse /direct/ h2c://127.0.0.1:8010/app/
                """);
        assertEquals("""
                balancer name=h2
                  member route=a url=h2c://127.0.0.1:8009
                  member route=b url=h2://backend.example
                pass path=/lb/ to=balancer://h2/
                pass path=/direct/ to=h2c://127.0.0.1:8010/app/
                reverse path=/direct/ url=h2c://127.0.0.1:8010/app/""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of(), Imported.reportLines(r));
        assertEquals("h2c://127.0.0.1:8010", Imported.load(r.descriptor()).passes().get(1).target().origin());
    }

    @Test
    void webSocketTunnelsOfModProxyWstunnelAndTheUpgradeParameterAreImported() throws Exception {
        HttpdImport.Result r = imported("""
                <Proxy balancer://chat>
                  BalancerMember http://127.0.0.1:8011 route=a upgrade=websocket
                  BalancerMember ws://127.0.0.1:8012 route=b
                </Proxy>
                ProxyPass /chat/ balancer://chat/ stickysession=ROUTEID
                ProxyPass /any/ http://127.0.0.1:8013/ upgrade=*
                ProxyPass /ws/ ws://127.0.0.1:8014/
                """);
        assertEquals("""
                worker upgrade=* url=http://127.0.0.1:8013/
                balancer name=chat stickysession=ROUTEID
                  member route=a upgrade=websocket url=http://127.0.0.1:8011
                  member route=b url=ws://127.0.0.1:8012
                pass path=/chat/ to=balancer://chat/
                pass path=/any/ to=http://127.0.0.1:8013/
                pass path=/ws/ to=ws://127.0.0.1:8014/""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of(), Imported.reportLines(r));
        org.portico.config.Descriptor d = Imported.load(r.descriptor());
        assertTrue(d.workerFor("ws://127.0.0.1:8014/").orElseThrow().upgrade().allows("WebSocket"));
        assertTrue(d.workerFor("http://127.0.0.1:8013/").orElseThrow().upgrade().allows("h2c"));
    }

    @Test
    void anUpgradeValueOfSixteenCharactersIsRefusedAsHttpdRefusesIt() {
        ImportException e = org.junit.jupiter.api.Assertions.assertThrows(ImportException.class, () -> imported("""
                ProxyPass /x/ http://127.0.0.1:8013/ upgrade=abcdefghijklmnop
                """));
        assertTrue(e.getMessage().contains("upgrade protocol length must be < 16 characters"), e.getMessage());
    }

    @Test
    void theBalancerManagerLocationIsTheWarsAndItsAccessControlTheContainers() throws Exception {
        HttpdImport.Result r = imported("""
                <Location /bm>
                  SetHandler balancer-manager
                  Require ip 127.0.0.1
                </Location>
                ProxyPass /bm !
                """);
        assertTrue(report(r).contains(at(2) + "note: <Location /bm> SetHandler balancer-manager: handled by the WAR's"
                + " /balancer-manager (protect it with the container's realm); it is served at /balancer-manager, not at /bm"),
                report(r));
        assertTrue(report(r).contains(at(3) + "not imported: Require ip 127.0.0.1: access control is the container's"), report(r));
    }

    @Test
    void balancerPersistOnBecomesTheContextParamThatTurnsPersistenceOn() throws Exception {
        HttpdImport.Result on = imported("""
                BalancerPersist On
                ProxyPass / http://127.0.0.1:9001/
                """);
        assertEquals(Map.of("portico.balancer-persist", "true"), on.contextParams());
        assertTrue(report(on).contains(at(1) + "note: BalancerPersist On: imported as the context param"
                + " portico.balancer-persist=true"), report(on));
        HttpdImport.Result off = imported("""
                BalancerPersist Off
                ProxyPass / http://127.0.0.1:9001/
                """);
        assertEquals(Map.of(), off.contextParams());
    }

    @Test
    void everythingElseIsReportedAsNotImportedWithItsFileAndLine() throws Exception {
        HttpdImport.Result r = imported("""
                LoadModule proxy_module modules/mod_proxy.so
                LoadModule proxy_hcheck_module modules/mod_proxy_hcheck.so
                LoadModule rewrite_module modules/mod_rewrite.so
                Listen 8080
                DocumentRoot /var/www/html
                RewriteEngine On
                RewriteRule ^/old/(.*)$ http://127.0.0.1:9001/new/$1 [P]
                Header set X-Frame-Options DENY
                ProxyRequests On
                BalancerPersist On
                <Directory /var/www/html>
                  Options FollowSymLinks
                </Directory>
                <If "%{HTTP_HOST} == 'a'">
                  ProxyPreserveHost On
                </If>
                ProxyPass / http://127.0.0.1:9001/
                """);
        assertEquals(List.of("3 not imported", "4 not imported", "5 not imported", "6 not imported", "7 not imported",
                "8 not imported", "9 not imported", "10 note", "12 not imported", "15 not imported"), Imported.reportLines(r));
        assertTrue(report(r).contains(at(7) + "not imported: RewriteRule ^/old/(.*)$ http://127.0.0.1:9001/new/$1 [P]:"
                + " mod_rewrite is not Portico's"), report(r));
    }

    @Test
    void theOnlyProxyingVirtualHostIsImportedAfterTheMainServersRules() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyPass /main/ http://127.0.0.1:9000/
                <VirtualHost *:80>
                  ServerName static.example
                  DocumentRoot /var/www
                </VirtualHost>
                <VirtualHost *:80>
                  ServerName app.example
                  ProxyPass /app/ http://127.0.0.1:9001/
                </VirtualHost>
                """);
        assertEquals("""
                settings server-name=app.example
                pass path=/main/ to=http://127.0.0.1:9000/
                pass path=/app/ to=http://127.0.0.1:9001/""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of("2 not imported"), Imported.reportLines(r));
    }

    @Test
    void vhostChoosesByServerNameAliasOrAddressAndProxyPassInheritOffDropsTheMainRules() throws Exception {
        Path conf = Imported.write(dir, "httpd.conf", """
                ProxyPass /main/ http://127.0.0.1:9000/
                <VirtualHost 127.0.0.1:8081>
                  ServerName one.example
                  ServerAlias uno.example
                  ProxyPass /one/ http://127.0.0.1:9001/
                </VirtualHost>
                <VirtualHost 127.0.0.1:8082>
                  ProxyPassInherit Off
                  ProxyPass /two/ http://127.0.0.1:9002/
                </VirtualHost>
                """);
        for (String name : List.of("one.example", "ONE.example:80", "uno.example", "127.0.0.1:8081")) {
            assertEquals("""
                    settings server-name=one.example
                    pass path=/main/ to=http://127.0.0.1:9000/
                    pass path=/one/ to=http://127.0.0.1:9001/""", Imported.canonicalText(Imported.run(conf, name).descriptor()), name);
        }
        HttpdImport.Result two = Imported.run(conf, "127.0.0.1:8082");
        assertEquals("pass path=/two/ to=http://127.0.0.1:9002/", Imported.canonicalText(two.descriptor()));
        assertTrue(Imported.reportText(two).contains(conf + ":1: not imported: pass rule of the main server: the virtual host says"
                + " ProxyPassInherit Off"), Imported.reportText(two));
    }

    @Test
    void aRuleThatAnEarlierPrefixAlwaysWinsOverIsReportedAsNeverUsed() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyPass /app http://127.0.0.1:9000/app
                ProxyPass /app/admin http://127.0.0.1:9001/admin
                ProxyPass /application http://127.0.0.1:9002/application
                """);
        assertEquals(List.of("2 warning"), Imported.reportLines(r));
        assertTrue(report(r).contains(at(2) + "warning: never used: the rule for /app/admin comes after the one for /app"), report(r));
    }

    @Test
    void aReverseRuleForAnUndefinedBalancerIsNotImported() throws Exception {
        HttpdImport.Result r = imported("""
                ProxyPass / http://127.0.0.1:9000/
                ProxyPassReverse / balancer://nowhere/
                """);
        assertEquals("pass path=/ to=http://127.0.0.1:9000/", Imported.canonicalText(r.descriptor()));
        assertTrue(report(r).contains(at(2) + "not imported: ProxyPassReverse / balancer://nowhere/: names balancer://nowhere,"
                + " which no ProxyPass, BalancerMember or <Proxy> defines"), report(r));
    }

    @Test
    void importHttpdWritesTheDescriptorToAFileAndTheReportToStandardError() throws Exception {
        Path conf = Imported.write(dir, "httpd.conf", "DocumentRoot /var/www\nProxyPass / http://127.0.0.1:9001/\n");
        Path out = dir.resolve("portico.xml");
        Imported.Command c = Imported.command(conf.toString(), "-o", out.toString());
        assertEquals(0, c.status(), c.err());
        assertEquals("", c.out());
        assertTrue(c.err().contains(conf + ":1: not imported: DocumentRoot /var/www"), c.err());
        assertTrue(c.err().contains("0 balancers, 1 rule; 1 not imported"), c.err());
        Imported.assertValid(java.nio.file.Files.readString(out));

        Imported.Command toStdout = Imported.command(conf.toString());
        assertEquals(0, toStdout.status());
        assertTrue(toStdout.out().startsWith("<?xml"), toStdout.out());
        Imported.assertValid(toStdout.out());
    }
}
