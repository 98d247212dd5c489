package org.portico.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portico.balancer.AddedMember;
import org.portico.config.Descriptor;
import org.portico.config.WorkerConfig;

class ReverseMapTest {

    /** The web app at ROOT, reached by the client as http://front. */
    static final String ROOT = "http://front";
    /** The web app at /gateway, reached by the client as http://front:8080. */
    static final String GATEWAY = "http://front:8080/gateway";

    static ReverseMap map(String elements) {
        return ReverseMap.of(Descriptors.load(elements));
    }

    @Nested
    class UrlRules {

        private final ReverseMap map = map("""
                <reverse path="/app/" url="http://b1.internal:8091/"/>
                """);

        @Test
        void backendUrlBecomesFrontUrlUnderThePath() {
            assertEquals("http://front/app/x/y?q=1#f", map.map("http://b1.internal:8091/x/y?q=1#f", ROOT));
        }

        @Test
        void resultCarriesTheContextPathAndTheClientsPort() {
            assertEquals("http://front:8080/gateway/app/x", map.map("http://b1.internal:8091/x", GATEWAY));
        }

        @Test
        void urlIsComparedCaseInsensitively() {
            assertEquals("http://front/app/X", map.map("HTTP://B1.Internal:8091/X", ROOT));
        }

        @Test
        void aLocationOnAHostNoRuleKnowsIsLeftAlone() {
            String value = "http://elsewhere.example/x";
            assertSame(value, map.map(value, ROOT));
        }

        @Test
        void aRelativeLocationIsNotMatchedByAnAbsoluteUrl() {
            String value = "/x";
            assertSame(value, map.map(value, ROOT));
        }

        @Test
        void reversePermRedirectOfHttpdTests() {
            // proxy.t: ProxyPass /reverse/ http://S:P/ + ProxyPassReverse; the backend's Redirect permanent /perm
            ReverseMap m = map("""
                    <pass path="/reverse/notproxy/" exclude="true"/>
                    <pass path="/reverse/" to="http://127.0.0.1:8529/"/>
                    <reverse path="/reverse/" url="http://127.0.0.1:8529/"/>
                    """);
            assertEquals("http://front/reverse/alias", m.map("http://127.0.0.1:8529/alias", ROOT));
        }

        @Test
        void firstMatchingRuleWinsEvenWhenALaterOneIsLonger() {
            ReverseMap m = map("""
                    <reverse path="/one/" url="http://b1.internal/"/>
                    <reverse path="/two/" url="http://b1.internal/two/"/>
                    """);
            assertEquals("http://front/one/two/x", m.map("http://b1.internal/two/x", ROOT));
        }

        @Test
        void exactUrlWithoutItsSlashIsLeftAlone() {
            // §12.11: a non-balancer rule for http://B1/ does not take "http://B1"
            ReverseMap m = map("""
                    <reverse path="/" url="http://b1.internal/"/>
                    """);
            assertSame("http://b1.internal", m.map("http://b1.internal", ROOT));
            assertEquals("http://front/", m.map("http://b1.internal/", ROOT));
        }

        @Test
        void aUrlWithoutPathOnlyTakesItsOwnAuthority() {
            ReverseMap m = map("""
                    <reverse path="/p" url="http://b1.internal:80"/>
                    """);
            assertSame("http://b1.internal:8080/x", m.map("http://b1.internal:8080/x", ROOT));
            assertEquals("http://front/p/x", m.map("http://b1.internal:80/x", ROOT));
            assertEquals("http://front/p?q", m.map("http://b1.internal:80?q", ROOT));
            assertEquals("http://front/p", m.map("http://b1.internal:80", ROOT));
        }

        @Test
        void slashMismatchGivesWhatHttpdGives() {
            ReverseMap m = map("""
                    <reverse path="/app" url="http://b1.internal/app"/>
                    """);
            assertEquals("http://front/appx", m.map("http://b1.internal/appx", ROOT));
        }
    }

    @Nested
    class PathRules {

        private final ReverseMap map = map("""
                <reverse path="/front/" url="/back/"/>
                """);

        @Test
        void relativeLocationIsMappedAndMadeAbsolute() {
            assertEquals("http://front/front/x?q=1", map.map("/back/x?q=1", ROOT));
            assertEquals("http://front:8080/gateway/front/x", map.map("/back/x", GATEWAY));
        }

        @Test
        void onlyThePathOfAnAbsoluteLocationIsCompared() {
            assertEquals("http://front/front/x", map.map("http://any.host:1234/back/x", ROOT));
            assertEquals("http://front/front/x", map.map("https://other/BACK/x", ROOT));
        }

        @Test
        void otherPathsAreLeftAlone() {
            for (String v : new String[] {"/elsewhere/back/x", "http://host", "http://host/else",
                    "/else?to=http://h/back/x", "back/x"}) {
                assertSame(v, map.map(v, ROOT), v);
            }
        }
    }

    @Nested
    class BalancerRules {

        @Test
        void pr45434MemberPathAndUrlPart() {
            // proxy.t: BalancerMember http://S:P/modules; ProxyPass and ProxyPassReverse /pr45434 balancer://pr45434/alias
            ReverseMap m = map("""
                    <balancer name="pr45434"><member url="http://127.0.0.1:8529/modules"/></balancer>
                    <pass path="/pr45434" to="balancer://pr45434/alias"/>
                    <reverse path="/pr45434" url="balancer://pr45434/alias"/>
                    """);
            assertEquals("http://front/pr45434/5.html", m.map("http://127.0.0.1:8529/modules/alias/5.html", ROOT));
            assertEquals("http://front:8080/gateway/pr45434/5.html",
                    m.map("http://127.0.0.1:8529/modules/alias/5.html", GATEWAY));
        }

        @Test
        void membersAreTheBalancersAtTheTimeOfEachHeader() {
            Descriptor d = Descriptors.load("""
                    <balancer name="c" growth="1"><member url="http://b1.internal:1"/></balancer>
                    <reverse path="/p" url="balancer://c/"/>
                    """);
            List<WorkerConfig> members = new CopyOnWriteArrayList<>(d.balancer("c").orElseThrow().members());
            ReverseMap m = ReverseMap.of(d, name -> name.equals("c") ? members : List.of());
            assertSame("http://b2.internal:2/x", m.map("http://b2.internal:2/x", ROOT), "not a member yet");
            members.add(AddedMember.config("http://b2.internal:2"));
            assertEquals("http://front/p/x", m.map("http://b2.internal:2/x", ROOT), "a member added at run time");
            assertEquals("http://front/p/x", m.map("http://b1.internal:1/x", ROOT));
        }

        @Test
        void memberUrlIsCaseInsensitiveButUrlPartIsCaseSensitive() {
            ReverseMap m = map("""
                    <balancer name="pr45434"><member url="http://127.0.0.1:8529/modules"/></balancer>
                    <reverse path="/pr45434" url="balancer://pr45434/alias"/>
                    """);
            assertEquals("http://front/pr45434/5.html", m.map("HTTP://127.0.0.1:8529/MODULES/alias/5.html", ROOT));
            assertSame("http://127.0.0.1:8529/modules/ALIAS/5.html", m.map("http://127.0.0.1:8529/modules/ALIAS/5.html", ROOT));
        }

        @Test
        void aMembersTrailingSlashIsDroppedBeforeTheUrlPart() {
            ReverseMap m = map("""
                    <balancer name="c"><member url="http://b1.internal:1/base/"/></balancer>
                    <reverse path="/p" url="balancer://c/alias"/>
                    """);
            assertEquals("http://front/p/x", m.map("http://b1.internal:1/base/alias/x", ROOT));
        }

        @Test
        void everyMemberIsComparedNotOnlyTheOneThatAnswered() {
            ReverseMap m = map("""
                    <balancer name="c">
                      <member url="http://b1.internal:8101"/>
                      <member url="http://b2.internal:8102"/>
                    </balancer>
                    <reverse path="/apps" url="balancer://c/"/>
                    """);
            assertEquals("http://front/apps/x", m.map("http://b1.internal:8101/x", ROOT));
            assertEquals("http://front/apps/x", m.map("http://b2.internal:8102/x", ROOT));
            assertSame("http://b3.internal:8103/x", m.map("http://b3.internal:8103/x", ROOT));
        }

        @Test
        void rootPathDoesNotDoubleTheSlash() {
            ReverseMap m = map("""
                    <balancer name="c"><member url="http://b1.internal:8101"/></balancer>
                    <pass path="/" to="balancer://c/"/>
                    """);
            assertEquals("http://front/x", m.map("http://b1.internal:8101/x", ROOT));
            assertEquals("http://front:8080/gateway/x", m.map("http://b1.internal:8101/x", GATEWAY));
        }

        @Test
        void otherPathsKeepHttpdsDoubleSlash() {
            // the reverse-proxy guide's ProxyPassReverse "/images/" "balancer://myset/"
            ReverseMap m = map("""
                    <balancer name="myset"><member url="http://b1.internal:8101"/></balancer>
                    <reverse path="/images/" url="balancer://myset/"/>
                    """);
            assertEquals("http://front/images//x", m.map("http://b1.internal:8101/x", ROOT));
        }

        @Test
        void bareMemberUrlBecomesTheFrontUrl() {
            // §12.11: a balancer-aware rule rewrites "http://B1" (member http://B1/) to http://FRONT/
            ReverseMap m = map("""
                    <balancer name="c"><member url="http://b1.internal/"/></balancer>
                    <reverse path="/" url="balancer://c/"/>
                    """);
            assertEquals("http://front/", m.map("http://b1.internal", ROOT));
            assertEquals("http://front:8080/gateway/", m.map("http://b1.internal", GATEWAY));
        }

        @Test
        void aMemberOnlyTakesItsOwnAuthority() {
            ReverseMap m = map("""
                    <balancer name="c"><member url="http://b1.internal:81"/></balancer>
                    <reverse path="/p" url="balancer://c"/>
                    """);
            assertSame("http://b1.internal:8101/x", m.map("http://b1.internal:8101/x", ROOT));
            assertEquals("http://front/p/x", m.map("http://b1.internal:81/x", ROOT));
        }

        @Test
        void anExplicitDefaultPortIsComparedWithAndWithout() {
            ReverseMap m = map("""
                    <balancer name="c"><member url="http://b1.internal:80/app"/></balancer>
                    <reverse path="/p" url="balancer://c/"/>
                    """);
            assertEquals("http://front/p/x", m.map("http://b1.internal/app/x", ROOT));
            assertEquals("http://front/p/x", m.map("http://b1.internal:80/app/x", ROOT));
        }
    }

    @Nested
    class ImpliedRules {

        @Test
        void balancerPassesImplyTheirReverseByDefaultDirectOnesOnlyWhenAsked() {
            ReverseMap m = map("""
                    <balancer name="c"><member url="http://b1.internal:8101"/></balancer>
                    <pass path="/bal/" to="balancer://c/"/>
                    <pass path="/plain/" to="http://b2.internal:8102/"/>
                    <pass path="/asked/" to="http://b3.internal:8103/" reverse="true"/>
                    """);
            assertEquals(2, m.size());
            assertEquals("http://front/bal/x", m.map("http://b1.internal:8101/x", ROOT));
            assertSame("http://b2.internal:8102/x", m.map("http://b2.internal:8102/x", ROOT));
            assertEquals("http://front/asked/x", m.map("http://b3.internal:8103/x", ROOT));
        }

        /** What the member receives for the front path, as routing and the proxy build it, is mapped back. */
        @ParameterizedTest(name = "pass {0} -> {1}: {3} back to {2}")
        @CsvSource({
            "/bal/, balancer://c/,       /bal/x,        http://b1.internal:8101/x",
            "/bal/, balancer://c/,       /bal/,         http://b1.internal:8101/",
            "/bal/, balancer://c/,       /bal/,         http://b1.internal:8101",
            "/bal,  balancer://c/,       /bal/x,        http://b1.internal:8101/x",
            "/bal,  balancer://c,        /bal/x,        http://b1.internal:8101/x",
            "/,     balancer://c/,       /x,            http://b1.internal:8101/x",
            "/a/,   balancer://c/alias/, /a/x,          http://b1.internal:8101/alias/x",
            "/a,    balancer://c/alias,  /a/x,          http://b1.internal:8101/alias/x",
            "/d/,   http://b2.internal/d/, /d/x,        http://b2.internal/d/x",
            "/d,    http://b2.internal/d,  /d/x,        http://b2.internal/d/x",
        })
        void impliedRulesUndoTheirPassRule(String path, String to, String front, String backend) {
            ReverseMap m = map("""
                    <balancer name="c"><member url="http://b1.internal:8101"/></balancer>
                    <pass path="%s" to="%s" reverse="true"/>
                    """.formatted(path, to));
            assertEquals("http://front" + front, m.map(backend, ROOT));
        }

        @Test
        void anExplicitRuleKeepsHttpdsDoubleSlashWhereTheImpliedOneDoesNot() {
            ReverseMap explicit = map("""
                    <balancer name="c"><member url="http://b1.internal:8101"/></balancer>
                    <reverse path="/bal/" url="balancer://c/"/>
                    """);
            assertEquals("http://front/bal//x", explicit.map("http://b1.internal:8101/x", ROOT));
        }

        @Test
        void reverseFalseTurnsTheBalancerDefaultOff() {
            ReverseMap m = map("""
                    <balancer name="c"><member url="http://b1.internal:8101"/></balancer>
                    <pass path="/bal/" to="balancer://c/" reverse="false"/>
                    """);
            assertTrue(m.isEmpty());
        }

        @Test
        void explicitRulesComeFirstWhereverThePassIs() {
            ReverseMap m = map("""
                    <pass path="/implied/" to="http://b1.internal:8101/" reverse="true"/>
                    <reverse path="/explicit/" url="http://b1.internal:8101/"/>
                    """);
            assertEquals("http://front/explicit/x", m.map("http://b1.internal:8101/x", ROOT));
        }

        @Test
        void exclusionsAndRegexRulesImplyNothing() {
            ReverseMap m = map("""
                    <pass path="/no/" exclude="true" reverse="true"/>
                    <pass-match pattern="^/m/(.*)$" to="http://b1.internal:8101/$1"/>
                    """);
            assertTrue(m.isEmpty());
        }

        @Test
        void pr45434WithTheImpliedRuleAlone() {
            ReverseMap m = map("""
                    <balancer name="pr45434"><member url="http://127.0.0.1:8529/modules"/></balancer>
                    <pass path="/pr45434" to="balancer://pr45434/alias"/>
                    """);
            assertEquals("http://front/pr45434/5.html", m.map("http://127.0.0.1:8529/modules/alias/5.html", ROOT));
        }
    }

    @Nested
    class ControlCharacters {

        @Test
        void backendCannotInjectAHeaderLine() {
            ReverseMap m = map("""
                    <reverse path="/app/" url="http://b1.internal/"/>
                    """);
            String mapped = m.map("http://b1.internal/x\r\nSet-Cookie: evil=1\u0000", ROOT);
            assertEquals("http://front/app/xSet-Cookie: evil=1", mapped);
        }

        @Test
        void aRuleWithALineBreakIsRefused() {
            // XML character references survive attribute normalisation, and a path-form url is not parsed as a URI
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> map("""
                    <reverse path="/p" url="/a&#13;&#10;Set-Cookie: x=1"/>
                    """));
            assertTrue(e.getMessage().startsWith("test.xml:2:1: reverse path='/p'"), e.getMessage());
            assertTrue(e.getMessage().contains("control character"), e.getMessage());
        }
    }

    @Test
    void isUrlFollowsHttpd() {
        assertTrue(ReverseMap.isUrl("http://x"));
        assertTrue(ReverseMap.isUrl("svn+ssh:x"));
        assertFalse(ReverseMap.isUrl("/x"));
        assertFalse(ReverseMap.isUrl(":x"));
        assertFalse(ReverseMap.isUrl("/a?b=http://x"));
        assertFalse(ReverseMap.isUrl("x"));
    }
}
