package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.config.TestDescriptors.FILE;
import static org.portico.config.TestDescriptors.load;
import static org.portico.config.TestDescriptors.refused;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Schema-valid descriptors that still make no sense, refused at the attribute or element at fault. */
class DescriptorSemanticErrorsTest {


    @Test
    void passToAnUndeclaredBalancer() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="one"><member url="http://127.0.0.1:8081"/></balancer>
                  <pass path="/" to="balancer://two/"/>
                </portico>
                """, 3, 18, "to 'balancer://two/' names balancer 'two', which is not declared (declared: one)");
    }

    @Test
    void reverseToAnUndeclaredBalancer() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <reverse path="/" url="balancer://two/"/>
                </portico>
                """, 2, 21, "url 'balancer://two/' names balancer 'two', which is not declared");
    }

    @Test
    void duplicateMemberInABalancer() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081"/>
                    <member
                        url="http://127.0.0.1:8081/"/>
                  </balancer>
                </portico>
                """, 4, 5, "member http://127.0.0.1:8081 appears twice in balancer 'a' (first at test.xml:3:5)");
    }

    @Test
    void duplicateBalancerIgnoringCase() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a"><member url="http://127.0.0.1:8081"/></balancer>
                  <balancer name="A"><member url="http://127.0.0.1:8082"/></balancer>
                </portico>
                """, 3, 3, "balancer 'a' is declared twice (first at test.xml:2:3)");
    }

    @Test
    void duplicateWorker() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="http://127.0.0.1:8081/"/>
                  <worker url="http://127.0.0.1:8081"/>
                </portico>
                """, 3, 3, "worker http://127.0.0.1:8081 is declared twice (first at test.xml:2:3)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "0.5", "-1", "42949674.46"})
    void loadfactorOutOfRange(String loadfactor) {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081" loadfactor="%s"/>
                  </balancer>
                </portico>
                """.formatted(loadfactor), 3, 41,
                "loadfactor " + loadfactor + " is out of range: use a number from 1 to 100");
    }

    @Test
    void regexThatDoesNotCompile() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass-match pattern="^/(a" to="http://127.0.0.1:8081/"/>
                </portico>
                """, 2, 15, "pattern '^/(a' does not compile", "near index");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8081/app", "localhost:8081/", "backend/app"})
    void urlWithoutScheme(String url) {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="%s"/>
                </portico>
                """.formatted(url), 2, 18, "to '" + url + "' has no scheme", "write http://host[:port][/path]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:///app", "http://:8081/app"})
    void urlWithoutHost(String url) {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="%s"/>
                </portico>
                """.formatted(url), 2, 18, "to '" + url + "' has no host");
    }

    @Test
    void memberUrlWithoutHost() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http:/127.0.0.1:8081"/>
                  </balancer>
                </portico>
                """, 3, 13, "url 'http:/127.0.0.1:8081' has no host");
    }

    @Test
    void memberOfASchemeNoProtocolSpeaksIsRefusedWithTheSchemesToUse() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="files">
                    <member url="ftp://127.0.0.1:2121/" loadfactor="1"/>
                  </balancer>
                </portico>
                """, 3, 13, "url 'ftp://127.0.0.1:2121/'", "ftp:// is not supported", "use one of http://, https://, ws://, wss://, h2c://, h2://");
    }

    @Test
    void httpHealthCheckOfAnHttp2MemberIsRefused() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="b">
                    <member url="h2c://127.0.0.1:8081" hcmethod="GET"/>
                  </balancer>
                </portico>
                """, 3, 40, "hcmethod GET on h2c://127.0.0.1:8081 cannot check an HTTP/2 member", "use hcmethod TCP");
    }

    @Test
    void aSecretOffAjpIsRefused() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="http://127.0.0.1:8081" secret="s"/>
                </portico>
                """, 2, 39, "secret on http://127.0.0.1:8081 is AJP's shared secret", "only ajp:// workers take it");
    }

    @Test
    void cpingOnAnHttpMemberAndHttpChecksOnAnAjpMemberAreRefused() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="b">
                    <member url="http://127.0.0.1:8081" hcmethod="CPING"/>
                  </balancer>
                </portico>
                """, 3, 41, "hcmethod CPING on http://127.0.0.1:8081 checks AJP members only", "use hcmethod TCP");
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="b">
                    <member url="ajp://127.0.0.1:8009" hcmethod="GET"/>
                  </balancer>
                </portico>
                """, 3, 40, "hcmethod GET on ajp://127.0.0.1:8009 cannot check an AJP member", "use hcmethod CPING or TCP");
    }

    @Test
    void anUpgradeOnAnAjpWorkerIsRefused() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="ajp://127.0.0.1:8009" upgrade="websocket"/>
                </portico>
                """, 2, 38, "an AJP member cannot tunnel an upgrade", "use an http:// or ws:// member");
    }

    @Test
    void exclusionWithATarget() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/private" exclude="true" to="http://127.0.0.1:8081/"/>
                </portico>
                """, 2, 40, "an exclusion (exclude=\"true\") takes no 'to' url");
    }

    @Test
    void passWithoutTarget() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/app"/>
                </portico>
                """, 2, 3, "'to' is required");
    }

    @Test
    void unknownHcTemplate() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <hc-template name="web" hcmethod="GET"/>
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081" hctemplate="webb"/>
                  </balancer>
                </portico>
                """, 4, 41, "hctemplate 'webb' is not defined by an hc-template element (defined: web)");
    }

    @Test
    void unknownHcExpr() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <hc-expr name="ok">%{REQUEST_STATUS} == 200</hc-expr>
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081" hcmethod="GET" hcexpr="okay"/>
                  </balancer>
                </portico>
                """, 4, 56, "hcexpr 'okay' is not defined by an hc-expr element (defined: ok)");
    }

    @Test
    void hcExprPorticoCannotEvaluateIsRefusedWhereItIsDefined() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <hc-expr name="ok">%{REQUEST_STATUS} == 200</hc-expr>
                  <hc-expr name="uri">%{REQUEST_URI} =~ /health/</hc-expr>
                </portico>
                """, 3, 3, "hc-expr 'uri' cannot be evaluated by Portico: variable %{REQUEST_URI} is not one Portico evaluates"
                + " (%{REQUEST_STATUS}, %{HC_BODY}) at character 1 of '%{REQUEST_URI} =~ /health/'");
    }

    @Test
    void unknownHcExprInATemplate() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <hc-template name="web" hcexpr="nope"/>
                </portico>
                """, 2, 27, "hcexpr 'nope' is not defined");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://$1/x", "http://backend-$1:8081/x", "http://127.0.0.1:$1/x", "http://127.0.0.$1/x",
        "http://127.0.0.1:8081$1.example/x"})
    void regexGroupInATargetsHostOrPort(String url) {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass-match pattern="^/(.*)$" to="%s"/>
                </portico>
                """.formatted(url), 2, 33,
                "to '" + url + "' must have a fixed scheme, host and port: $1..$9 may only stand for its path");
    }

    @Test
    void unknownTrustStoreIsPlacedAtTheReference() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="https://127.0.0.1:8443"
                          trust-store="nope"/>
                </portico>
                """, 3, 11, "trust-store 'nope' is not declared by a trust-store element");
    }

    @Test
    void unreadableTrustStore(@TempDir Path dir) {
        String xml = """
                <portico xmlns="urn:portico:descriptor:1">
                  <trust-store id="ts" path="missing.p12"/>
                </portico>
                """;
        DescriptorException e = assertThrows(DescriptorException.class,
                () -> DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), FILE, dir));
        assertTrue(e.getMessage().startsWith(FILE + ":2:24: trust-store 'ts': "), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist or cannot be read"), e.getMessage());
    }

    @Test
    void stickysessionWithAnEmptyHalf() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a" stickysession="JSESSIONID|"/>
                </portico>
                """, 2, 22, "stickysession 'JSESSIONID|' must be NAME or COOKIE|PARAMETER");
    }

    @Test
    void zeroTimeout() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081"
                            timeout="0s"/>
                  </balancer>
                </portico>
                """, 4, 13, "timeout must be at least 1ms");
    }

    @Test
    void ttlUnderOneSecond() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <worker url="http://127.0.0.1:8081" ttl="500ms"/>
                </portico>
                """, 2, 39, "ttl must be at least one second");
    }
}
