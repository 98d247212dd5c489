package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What httpd would refuse stops the import with the file, the line and the reason, and
 * {@code import-httpd} exits with status 2 (64 for a usage error).
 */
class HttpdImportErrorsTest {

    @TempDir
    Path dir;

    private void assertFails(String text, int line, String reason) throws Exception {
        Path conf = Imported.write(dir, "httpd.conf", text);
        Imported.Command c = Imported.command(conf.toString());
        assertEquals(2, c.status(), c.err());
        assertEquals("", c.out(), "no descriptor is written");
        assertTrue(c.err().contains(conf + ":" + line + ": "), "names file and line: " + c.err());
        assertTrue(c.err().contains(reason), "says why (" + reason + "): " + c.err());
    }

    @Test
    void anUnterminatedProxySectionIsRefusedAtItsOpeningLine() throws Exception {
        assertFails("""
                ProxyPass / balancer://c/
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001
                """, 2, "<Proxy> was not closed");
    }

    @Test
    void aClosingTagWithoutItsSectionIsRefused() throws Exception {
        assertFails("""
                ProxyPass / http://127.0.0.1:9001/
                  BalancerMember balancer://c http://127.0.0.1:9001
                </Proxy>
                """, 3, "</Proxy> without matching <Proxy> section");
    }

    @Test
    void sectionsMustCloseInOrder() throws Exception {
        assertFails("""
                <Location /a>
                <Proxy balancer://c>
                </Location>
                """, 3, "Expected </Proxy>");
    }

    @Test
    void anUnknownBalancerMemberParameterIsRefusedInHttpdsWords() throws Exception {
        assertFails("""
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001 loadfactor=1 colour=blue
                </Proxy>
                """, 2, "BalancerMember: unknown Worker parameter (colour=blue)");
    }

    @Test
    void anUnknownProxyPassParameterIsRefusedInHttpdsWords() throws Exception {
        assertFails("ProxyPass /x http://127.0.0.1:9001/ bogus=1\n", 1, "ProxyPass: unknown Worker parameter (bogus=1)");
    }

    @Test
    void aWorkerParameterOnABalancerIsAnUnknownBalancerParameter() throws Exception {
        assertFails("""
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001
                </Proxy>
                ProxyPass / balancer://c/ retry=5
                """, 4, "ProxyPass: unknown Balancer parameter (retry=5)");
    }

    @Test
    void aMissingIncludeFileIsRefusedAtTheIncludeLine() throws Exception {
        assertFails("""
                ProxyPass / http://127.0.0.1:9001/
                Include conf.d/missing.conf
                """, 2, "could not open configuration file");
    }

    @Test
    void anIncludeWildcardThatMatchesNothingIsRefused() throws Exception {
        assertFails("Include conf.d/*.conf\n", 1, "no file matches the wildcard");
    }

    @Test
    void anErrorInAnIncludedFileNamesThatFile() throws Exception {
        Path included = Imported.write(dir, "conf.d/bad.conf", "\nProxyPass / balancer://c/ lbmethod=nosuch\n");
        Path conf = Imported.write(dir, "httpd.conf", "Include conf.d/*.conf\n");
        Imported.Command c = Imported.command(conf.toString());
        assertEquals(2, c.status());
        assertTrue(c.err().contains(included + ":2: ProxyPass: unknown lbmethod"), c.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "BalancerMember balancer://c http://127.0.0.1:9001 loadfactor=101 | LoadFactor must be a number between 1..100",
        "BalancerMember balancer://c http://127.0.0.1:9001 loadfactor=0.5 | LoadFactor must be a number between 1..100",
        "BalancerMember balancer://c http://127.0.0.1:9001 ttl=0 | TTL must be at least one second",
        "BalancerMember balancer://c http://127.0.0.1:9001 timeout=0 | Timeout must be at least one second",
        "BalancerMember balancer://c http://127.0.0.1:9001 lbset=100 | lbset must be between 0 and 99",
        "BalancerMember balancer://c http://127.0.0.1:9001 status=+X | Unknown status parameter option",
        "BalancerMember balancer://c http://127.0.0.1:9001 acquire=fast | Acquire timeout has wrong format",
        "BalancerMember balancer://c http://127.0.0.1:9001 keepalive=yes | KeepAlive must be On|Off",
        "BalancerMember balancer://c http://127.0.0.1:9001 hcexpr=nosuch | Unknown health check condition expr: nosuch",
        "BalancerMember balancer://c http://127.0.0.1:9001 hctemplate=nosuch | Unknown ProxyHCTemplate name: nosuch",
        "BalancerMember balancer://c http://127.0.0.1:9001 hcmethod=POST | Unknown method",
        "BalancerMember http://127.0.0.1:9001 | BalancerMember must define remote proxy server",
        "ProxySet balancer://nosuch lbmethod=bytraffic | ProxySet can not find 'balancer://nosuch' Balancer.",
        "ProxySet http://127.0.0.1:9001/ timeout=5 | ProxySet can not find 'http://127.0.0.1:9001/' Worker.",
        "ProxyPass / balancer://c/ stickysessionsep=:: | stickysessionsep must be a single character or Off",
        "ProxyPass / balancer://c/ failonstatus=500,abc | failonstatus must be one or more HTTP response codes",
        "ProxyPass / balancer://c/ growth=0 | growth must be between 1 and 100",
        "ProxyPass /x | ProxyPass|ProxyPassMatch needs a path when not defined in a location",
        "ProxyPass /x 127.0.0.1:9001 | ProxyPass URL must be absolute!: 127.0.0.1:9001",
        "ProxyPass /x http://127.0.0.1:9001/ key | Invalid ProxyPass|ProxyPassMatch parameter",
        "ProxyPassMatch ~ ^/x http://127.0.0.1:9001/ | ProxyPassMatch invalid syntax ('~' usage).",
        "ProxyPassMatch ^/(x http://127.0.0.1:9001/$1 | Regular expression could not be compiled",
        "ProxyPassReverse http://127.0.0.1:9001/ | ProxyPassReverse needs a path when not defined in a location",
        "ProxyTimeout 0 | Proxy Timeout must be at least 1 second.",
        "ProxyVia sometimes | ProxyVia must be one of: off | on | full | block",
        "ProxyErrorOverride Off 502 | ProxyErrorOverride: status codes must follow a value of 'on'",
        "ProxyErrorOverride On 302 | status codes to intercept must be valid HTTP Status Codes >=400 && <600",
        "ProxyPreserveHost maybe | ProxyPreserveHost must be On or Off",
        "BalancerGrowth 1001 | BalancerGrowth must be between 0 and 1000",
        "ProxyHCTPsize -1 | ProxyHCTPsize must be >= 0",
        "LimitRequestLine -1 | LimitRequestLine \"-1\" must be a non-negative integer",
        "LimitRequestLine 3000000000 | LimitRequestLine \"3000000000\" must be a non-negative integer",
        "LimitRequestFields -1 | LimitRequestFields \"-1\" must be a non-negative integer (0 = no limit)",
        "ProxyPass / balancer://my:cluster/ | balancer name 'my:cluster' cannot be used in a Portico descriptor",
    })
    void valuesHttpdRefusesAreRefused(String directive, String reason) throws Exception {
        assertFails(directive + "\n", 1, reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "LimitRequestLine 0 | LimitRequestLine 0 would refuse every request (httpd answers each with 414); Portico takes 1 or more",
        "LimitRequestFieldSize 0 | LimitRequestFieldSize 0 would refuse every request (httpd answers each header field with 400); Portico takes 1 or more",
    })
    void aLimitThatWouldRefuseEveryRequestIsRefusedThoughHttpdTakesIt(String directive, String reason) throws Exception {
        assertFails(directive + "\n", 1, reason);
    }

    @Test
    void anHcExprPorticoCannotEvaluateIsRefusedAtItsLine() throws Exception {
        assertFails("ProxyHCExpr ok {%{REQUEST_STATUS} =~ /^2/}\nProxyHCExpr uri {%{REQUEST_URI} =~ /x/}\n", 2,
                "ProxyHCExpr uri cannot be evaluated by Portico: variable %{REQUEST_URI} is not one Portico evaluates");
    }

    @Test
    void aPathInsideALocationIsRefusedAsHttpdDoes() throws Exception {
        assertFails("""
                <Location /app>
                  ProxyPass /app http://127.0.0.1:9001/
                </Location>
                """, 2, "ProxyPass|ProxyPassMatch can not have a path when defined in a location.");
    }

    @Test
    void proxyPassInADirectorySectionIsRefused() throws Exception {
        assertFails("""
                <Directory /var/www>
                  ProxyPass /app http://127.0.0.1:9001/
                </Directory>
                """, 2, "ProxyPass cannot occur inside <Directory /var/www>");
    }

    @Test
    void severalProxyingVirtualHostsNeedVhostAndTheMessageListsThem() throws Exception {
        Path conf = Imported.write(dir, "httpd.conf", """
                <VirtualHost *:80>
                  ServerName one.example
                  ProxyPass / http://127.0.0.1:9001/
                </VirtualHost>
                <VirtualHost 127.0.0.1:8081>
                  ProxyPass / http://127.0.0.1:9002/
                </VirtualHost>
                """);
        Imported.Command c = Imported.command(conf.toString());
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("choose one with --vhost NAME"), c.err());
        assertTrue(c.err().contains("*:80 (" + conf + ":1, ServerName one.example)"), c.err());
        assertTrue(c.err().contains("127.0.0.1:8081 (" + conf + ":5)"), c.err());

        Imported.Command unknown = Imported.command(conf.toString(), "--vhost", "three.example");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("--vhost three.example names no <VirtualHost>"), unknown.err());
        assertTrue(unknown.err().contains("one.example"), unknown.err());
    }

    @Test
    void aMissingConfigurationFileExitsWith2() {
        Imported.Command c = Imported.command(dir.resolve("nosuch.conf").toString());
        assertEquals(2, c.status());
        assertTrue(c.err().contains("nosuch.conf: no such file"), c.err());
    }

    @Test
    void usageErrorsExitWith64() {
        assertEquals(64, Imported.command().status());
        Imported.Command unknown = Imported.command("--frobnicate", "httpd.conf");
        assertEquals(64, unknown.status());
        assertTrue(unknown.err().contains("unknown option '--frobnicate'"), unknown.err());
        assertEquals(64, Imported.command("httpd.conf", "-o").status());
    }
}
