package org.portico.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CookieRewriterTest {

    /** httpd-tests' vhost: ProxyPassReverseCookieDomain local remote, ProxyPassReverseCookiePath /local /remote. */
    static final CookieRewriter HTTPD_TESTS = CookieRewriter.of(Descriptors.load("""
            <reverse-cookie-domain from="local" to="remote"/>
            <reverse-cookie-path from="/local" to="/remote"/>
            """), "");

    @Nested
    class HttpdTests {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "fakedomain=local;domain=local      | fakedomain=local;domain=remote",
            "fakepath=/local;path=/local        | fakepath=/local;path=/remote",
            "domain=local;path=/local;foo=bar   | domain=remote;path=/remote;foo=bar",
        })
        void proxyT(String backend, String client) {
            assertEquals(client, HTTPD_TESTS.rewrite(backend));
        }
    }

    @Nested
    class Matching {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // the whole value is replaced
            "a=1; path=/local/x/y                | a=1; path=/remote",
            // attribute names in any case
            "a=1; Path=/local                    | a=1; Path=/remote",
            "a=1; PATH=/local; DOMAIN=Local      | a=1; PATH=/remote; DOMAIN=remote",
            // domains by case-insensitive prefix
            "a=1; Domain=LOCAL.example.org       | a=1; Domain=remote",
            // leading spaces and tabs of a token are skipped, and kept
            "\"a=1;   \tpath=/local\"            | \"a=1;   \tpath=/remote\"",
            // spaces before the next ';' stay
            "a=1; path=/local ; Secure           | a=1; path=/remote ; Secure",
            // domain before path and path before domain
            "a=1;path=/local;domain=local        | a=1;path=/remote;domain=remote",
            "a=1;domain=local;path=/local        | a=1;domain=remote;path=/remote",
            // an empty value before a matching one
            "a=;path=/local                      | a=;path=/remote",
        })
        void rewrites(String backend, String client) {
            assertEquals(client, HTTPD_TESTS.rewrite(backend));
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a=1; path=/LOCAL",          // paths by case-sensitive prefix
            "a=1; path=/loc",            // the rule is longer than the value
            "a=1; domain=.local",        // a prefix, not a suffix match
            "a=1; fakepath=/local",
            "a=1; fakedomain=local",
            "a=1; xpath=/local; ydomain=local",
            "a=1; path =/local",         // not an attribute httpd recognises
            "a=1; Secure; HttpOnly",
            "a=1",
            "\"\"",
            ";;;",
        })
        void leavesAlone(String backend) {
            assertSame(backend, HTTPD_TESTS.rewrite(backend));
        }

        @Test
        void theFirstMatchingRuleWins() {
            CookieRewriter r = CookieRewriter.of(Descriptors.load("""
                    <reverse-cookie-path from="/lo" to="/first"/>
                    <reverse-cookie-path from="/local" to="/second"/>
                    <reverse-cookie-domain from="b" to="first.example"/>
                    <reverse-cookie-domain from="backend" to="second.example"/>
                    """), "");
            assertEquals("a=1; path=/first; domain=first.example", r.rewrite("a=1; path=/local; domain=backend"));
        }

        @Test
        void withDuplicatePathAttributesOnlyTheLastIsRewritten() {
            // §12.9, as httpd 2.4.71 does
            assertEquals("a=1; path=/local; path=/remote", HTTPD_TESTS.rewrite("a=1; path=/local; path=/local/two"));
            assertEquals("a=1; path=/remote; Path=/remote", HTTPD_TESTS.rewrite("a=1; path=/remote; Path=/local"));
            String lastDoesNotMatch = "a=1; path=/local; path=/other";
            assertSame(lastDoesNotMatch, HTTPD_TESTS.rewrite(lastDoesNotMatch));
        }

        @Test
        void withDuplicateDomainAttributesOnlyTheLastIsRewritten() {
            assertEquals("a=1; domain=local; domain=remote", HTTPD_TESTS.rewrite("a=1; domain=local; domain=local.x"));
        }

        @Test
        void withoutRulesNothingIsRewritten() {
            CookieRewriter none = CookieRewriter.of(Descriptors.load(""), "/gateway");
            assertTrue(none.isEmpty());
            String v = "a=1; path=/local";
            assertSame(v, none.rewrite(v));
        }
    }

    @Nested
    class Preservation {

        @Test
        void everyOtherAttributeKeepsItsBytesAndPlace() {
            String backend = "SID=a%3Db==; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600;Domain=local.example;"
                    + "  Path=/local/app ; Secure; HttpOnly; SameSite=Lax; Partitioned; X-Ext=\"1;2\"x; Priority=High;";
            String client = "SID=a%3Db==; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600;Domain=remote;"
                    + "  Path=/remote ; Secure; HttpOnly; SameSite=Lax; Partitioned; X-Ext=\"1;2\"x; Priority=High;";
            assertEquals(client, HTTPD_TESTS.rewrite(backend));
        }

        @Test
        void aLongerOrShorterReplacementShiftsNothingElse() {
            CookieRewriter r = CookieRewriter.of(Descriptors.load("""
                    <reverse-cookie-domain from="backend.internal" to="x"/>
                    <reverse-cookie-path from="/" to="/a/much/longer/public/path/"/>
                    """), "");
            assertEquals("k=v; domain=x; path=/a/much/longer/public/path/; secure",
                    r.rewrite("k=v; domain=backend.internal; path=/; secure"));
            assertEquals("k=v; path=/a/much/longer/public/path/; domain=x; secure",
                    r.rewrite("k=v; path=/; domain=backend.internal; secure"));
        }
    }

    @Nested
    class ContextPath {

        @Test
        void aPathValueGetsTheContextPathInFront() {
            CookieRewriter r = CookieRewriter.of(Descriptors.load("""
                    <reverse-cookie-path from="/" to="/app/"/>
                    """), "/gateway");
            assertEquals("a=1; path=/gateway/app/", r.rewrite("a=1; path=/"));
        }

        @Test
        void atRootNothingIsAdded() {
            CookieRewriter r = CookieRewriter.of(Descriptors.load("""
                    <reverse-cookie-path from="/" to="/app/"/>
                    """), "");
            assertEquals("a=1; path=/app/", r.rewrite("a=1; path=/"));
        }

        @Test
        void domainsAndNonPathValuesAreUsedAsWritten() {
            CookieRewriter r = CookieRewriter.of(Descriptors.load("""
                    <reverse-cookie-path from="/x" to="relative"/>
                    <reverse-cookie-domain from="local" to="remote"/>
                    """), "/gateway");
            assertEquals("a=1; path=relative; domain=remote", r.rewrite("a=1; path=/x; domain=local"));
        }
    }

    @Nested
    class ControlCharacters {

        @Test
        void aRuleWithALineBreakIsRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CookieRewriter.of(
                    Descriptors.load("""
                            <reverse-cookie-path from="/local" to="/remote&#13;&#10;Set-Cookie: evil=1"/>
                            """), ""));
            assertTrue(e.getMessage().startsWith("reverse-cookie-path from='/local' to='/remoteSet-Cookie: evil=1'"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("control character"), e.getMessage());
        }

        @Test
        void aRewrittenHeaderCarriesNoLineBreak() {
            assertEquals("a=1Set-Cookie: b=2; path=/remote", HTTPD_TESTS.rewrite("a=1\r\nSet-Cookie: b=2; path=/local"));
        }
    }
}
