package org.portico.routing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.routing.Rules.exclude;
import static org.portico.routing.Rules.excludeMatch;
import static org.portico.routing.Rules.pass;
import static org.portico.routing.Rules.passMatch;
import static org.portico.routing.Rules.passMatchNocanon;
import static org.portico.routing.Rules.passNocanon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portico.config.BackendTarget;
import org.portico.config.PassRule;
import org.portico.config.SourceLocation;

class PathMapperTest {

    private static String target(PathMapper mapper, String rawPath) {
        Mapping mapping = mapper.map(rawPath).orElseThrow(() -> new AssertionError("no rule matched " + rawPath));
        assertFalse(mapping.excluded(), rawPath + " was excluded");
        return mapping.target().url();
    }

    private static PathMapper mapper(PassRule... rules) {
        return new PathMapper(List.of(rules), true);
    }

    private static PathMapper unmergedMapper(PassRule... rules) {
        return new PathMapper(List.of(rules), false);
    }

    /** The rows of the trailing-slash table in spec section 3.1, adjusted by section 12 item 2. */
    @Nested
    class TrailingSlashTable {

        @Test
        void prefixWithoutSlashMatchesTheExactPath() {
            assertEquals("http://b/app", target(mapper(pass("/app", "http://b/app")), "/app"));
        }

        @Test
        void prefixWithoutSlashMatchesPathsBelowIt() {
            assertEquals("http://b/app/x", target(mapper(pass("/app", "http://b/app")), "/app/x"));
        }

        @Test
        void prefixWithoutSlashDoesNotMatchLongerSegment() {
            assertTrue(mapper(pass("/app", "http://b/app")).map("/appx").isEmpty());
        }

        @Test
        void prefixWithSlashDoesNotMatchPathWithoutIt() {
            assertTrue(mapper(pass("/app/", "http://b/app/")).map("/app").isEmpty());
        }

        @Test
        void prefixWithSlashMatchesPathWithIt() {
            assertEquals("http://b/app/", target(mapper(pass("/app/", "http://b/app/")), "/app/"));
            assertEquals("http://b/app/x", target(mapper(pass("/app/", "http://b/app/")), "/app/x"));
        }

        @Test
        void prefixWithSlashToUrlWithoutSlashGluesTheRemainderOn() {
            assertEquals("http://b/appx", target(mapper(pass("/app/", "http://b/app")), "/app/x"));
        }

        @Test
        void prefixWithoutSlashToUrlWithSlashDoublesTheSlash() {
            assertEquals("http://b/app//x", target(mapper(pass("/app", "http://b/app/")), "/app/x"));
        }

        @Test
        void rootToBalancerAppendsThePathWithoutTheQuery() {
            // the caller strips "?y=1" before mapping and appends it after member selection
            assertEquals("balancer://c/x", target(mapper(pass("/", "balancer://c/")), "/x"));
        }

        @Test
        void balancerTargetWithTrailingSlashGetsTheRemainderGluedOnAsInHttpd() {
            PathMapper mapper = mapper(pass("/baltest1", "balancer://foo1/"));
            assertEquals("balancer://foo1//index.html", target(mapper, "/baltest1/index.html"));
        }

        @Test
        void balancerSchemeIsRecognisedInAnyCase() {
            PathMapper mapper = mapper(pass("/baltest2", "BALANCER://foo1/"));
            assertEquals("balancer://foo1//index.html", target(mapper, "/baltest2/index.html")); // names are case-insensitive
        }

        @Test
        void balancerTargetWithTrailingSlashGivesItsOwnSlashForTheBarePrefix() {
            assertEquals("balancer://foo1/", target(mapper(pass("/baltest2", "balancer://foo1/")), "/baltest2"));
        }

        @Test
        void plainWorkerTargetWithTrailingSlashKeepsTheDoubleSlash() {
            assertEquals("http://b/two//x", target(mapper(pass("/two", "http://b/two/")), "/two/x"));
        }

        @Test
        void rootRuleMatchesEveryPath() {
            PathMapper mapper = mapper(pass("/", "http://b/"));
            assertEquals("http://b/", target(mapper, "/"));
            assertEquals("http://b/a/b", target(mapper, "/a/b"));
        }
    }

    @Nested
    class RuleOrder {

        @Test
        void firstMatchingRuleWins() {
            PassRule general = pass("/app", "http://general/app");
            PathMapper mapper = mapper(general, pass("/app/special", "http://special/"));
            Mapping mapping = mapper.map("/app/special/x").orElseThrow();
            assertSame(general, mapping.rule());
            assertEquals("http://general/app/special/x", mapping.target().url());
        }

        @Test
        void laterRuleAnswersWhatEarlierRulesDoNotMatch() {
            PathMapper mapper = mapper(pass("/app/special", "http://special"), pass("/app", "http://general/app"));
            assertEquals("http://special/x", target(mapper, "/app/special/x"));
            assertEquals("http://general/app/other", target(mapper, "/app/other"));
        }

        @Test
        void prefixAndRegexRulesShareOneOrder() {
            PathMapper mapper = mapper(passMatch("\\.gif$", "balancer://images"), pass("/", "http://b/"));
            assertEquals("balancer://images/a/b.gif", target(mapper, "/a/b.gif"));
            assertEquals("http://b/a/b.png", target(mapper, "/a/b.png"));
        }

        @Test
        void noMatchingRuleGivesEmpty() {
            assertEquals(Optional.empty(), mapper(pass("/app", "http://b/app")).map("/other"));
        }

        @Test
        void noRulesMatchNothing() {
            assertEquals(Optional.empty(), mapper().map("/"));
        }

        @Test
        void exclusionBeforeGeneralRuleExcludes() {
            PassRule excluded = exclude("/app/static");
            PathMapper mapper = mapper(excluded, pass("/app", "http://b/app"));
            Mapping mapping = mapper.map("/app/static/logo.png").orElseThrow();
            assertTrue(mapping.excluded());
            assertSame(excluded, mapping.rule());
            assertNull(mapping.target());
            assertEquals("http://b/app/staticfiles", target(mapper, "/app/staticfiles"));
        }

        @Test
        void exclusionAfterGeneralRuleIsNeverReached() {
            PathMapper mapper = mapper(pass("/app", "http://b/app"), exclude("/app/static"));
            assertEquals("http://b/app/static/logo.png", target(mapper, "/app/static/logo.png"));
        }

        @Test
        void regexExclusionExcludes() {
            PathMapper mapper = mapper(excludeMatch("\\.php$"), pass("/", "http://b/"));
            assertTrue(mapper.map("/x/index.php").orElseThrow().excluded());
            assertEquals("http://b/x/index.html", target(mapper, "/x/index.html"));
        }

        @Test
        void rulesAreCopiedWhenTheMapperIsMade() {
            List<PassRule> rules = new ArrayList<>(List.of(pass("/a", "http://a")));
            PathMapper mapper = new PathMapper(rules, true);
            rules.add(0, exclude("/"));
            assertEquals("http://a/x", target(mapper, "/a/x"));
        }
    }

    @Nested
    class PrefixMatching {

        @Test
        void prefixComparesCaseSensitively() {
            assertTrue(mapper(pass("/app", "http://b/app")).map("/App/x").isEmpty());
        }

        @Test
        void encodedCharactersInTheRequestMatchTheDecodedRule() {
            assertEquals("http://b/app/x", target(mapper(pass("/app", "http://b/app")), "/%61p%70/x"));
        }

        @Test
        void encodedSlashInTheRequestIsNotASegmentBoundary() {
            PathMapper mapper = mapper(pass("/app", "http://b/app"));
            assertTrue(mapper.map("/app%2Fx").isEmpty());
        }

        @Test
        void encodedSlashInTheRequestDoesNotMatchASlashOfTheRule() {
            assertTrue(mapper(pass("/a/b", "http://b/")).map("/a%2Fb").isEmpty());
        }

        @Test
        void nonAsciiRulePathMatchesEncodedRequest() {
            PathMapper mapper = mapper(pass("/café", "http://b/cafe"));
            assertEquals("http://b/cafe/menu", target(mapper, "/caf%C3%A9/menu"));
            assertEquals("http://b/cafe/menu", target(mapper, "/caf%c3%a9/menu"));
        }

        @Test
        void nonAsciiRulePathMatchesUnencodedRequest() {
            assertEquals("http://b/cafe/menu", target(mapper(pass("/café", "http://b/cafe")), "/café/menu"));
        }

        @Test
        void nonAsciiRulePathDoesNotMatchOtherCharsetBytes() {
            assertTrue(mapper(pass("/café", "http://b/cafe")).map("/caf%E9/menu").isEmpty());
        }

        @Test
        void percentInRulePathMatchesEncodedPercent() {
            PathMapper mapper = mapper(pass("/100%", "http://b/pct"));
            assertEquals("http://b/pct/x", target(mapper, "/100%25/x"));
            assertEquals("http://b/pct/x", target(mapper, "/100%/x"));
        }

        @Test
        void remainderIsCanonicalAsHttpdSendsIt() {
            PathMapper mapper = mapper(pass("/app", "http://127.0.0.1:8081/app"));
            // %2F stays data, %25 and %3F stay escaped, brackets are escaped
            assertEquals("http://127.0.0.1:8081/app/a%2Fb%25c%3Fd%5Be%5D%C3%A9",
                    target(mapper, "/app/a%2Fb%25c%3Fd[e]%C3%A9"));
        }

        @Test
        void canonicalFormDecodesUnreservedEscapesAndUpperCasesTheRest() {
            PathMapper mapper = mapper(pass("/e", "http://b/e"));
            assertEquals("http://b/e/~user", target(mapper, "/e/%7Euser"));
            assertEquals("http://b/e/%C3%A9%2F", target(mapper, "/e/%c3%a9%2f"));
            assertEquals("http://b/e/%C3%A9t%C3%A9", target(mapper, "/e/\u00e9t\u00e9"));
            assertEquals("http://b/e/a%20b+c;d=e,f!$&'()*:@", target(mapper, "/e/a%20b+c;d=e,f!$&'()*:@"));
        }

        @Test
        void nocanonKeepsTheRawEncodingByteForByte() {
            PathMapper mapper = mapper(passNocanon("/app", "http://b/app"));
            assertEquals("http://b/app/%c3%a9%2f[x]%7E", target(mapper, "/app/%c3%a9%2f[x]%7E"));
        }
    }

    @Nested
    class SlashMerging {

        @Test
        void mergingCollapsesRunsBeforeMatching() {
            assertEquals("http://b/app/x/y", target(mapper(pass("/app", "http://b/app")), "/app//x//y"));
        }

        @Test
        void mergingLetsDoubledLeadingSlashesMatch() {
            assertEquals("http://b/app/x", target(mapper(pass("/app", "http://b/app")), "//app/x"));
        }

        @Test
        void mergingLeavesEncodedSlashesAlone() {
            assertEquals("http://b/app/a%2F%2Fb", target(mapper(pass("/app", "http://b/app")), "/app/a%2F%2Fb"));
        }

        @Test
        void withoutMergingExtraSlashesAreAppendedVerbatim() {
            assertEquals("http://b/app//x//y", target(unmergedMapper(pass("/app", "http://b/app")), "/app//x//y"));
        }

        @Test
        void withoutMergingARunOfSlashesInTheRuleMatchesAnyRun() {
            PathMapper mapper = unmergedMapper(pass("/a//b", "http://b/ab"));
            assertEquals("http://b/ab/x", target(mapper, "/a/b/x"));
            assertEquals("http://b/ab/x", target(mapper, "///a///b/x"));
        }

        @Test
        void withoutMergingARuleEndingInSlashSwallowsTheWholeRun() {
            assertEquals("http://b/app/x", target(unmergedMapper(pass("/app/", "http://b/app/")), "/app///x"));
        }

        @Test
        void withoutMergingASlashOfTheRuleStillNeedsAtLeastOneSlash() {
            assertTrue(unmergedMapper(pass("/a/b", "http://b/")).map("/ab").isEmpty());
        }

        @Test
        void regexSeesMergedPath() {
            PassRule rule = passMatch("^/a/b$", "http://b/ok");
            assertEquals("http://b/ok/a/b", target(mapper(rule), "/a//b"));
            assertTrue(unmergedMapper(rule).map("/a//b").isEmpty());
        }
    }

    @Nested
    class DotSegments {

        @Test
        void singleDotSegmentsAreRemoved() {
            assertEquals("http://b/app/x", target(mapper(pass("/app", "http://b/app")), "/app/./x"));
        }

        @Test
        void doubleDotRemovesThePreviousSegmentBeforeMatching() {
            assertEquals("http://b/app/x", target(mapper(pass("/app", "http://b/app")), "/other/../app/x"));
        }

        @Test
        void doubleDotNeverClimbsAboveTheRoot() {
            assertEquals("http://b/etc/passwd", target(mapper(pass("/", "http://b/")), "/app/../../../etc/passwd"));
        }

        @Test
        void encodedDotSegmentsAreRemovedToo() {
            PathMapper mapper = mapper(pass("/secret", "http://secret"), pass("/", "http://b/"));
            assertEquals("http://secret/x", target(mapper, "/public/%2e%2E/secret/x"));
            assertEquals("http://secret/x", target(mapper, "/public/.%2e/secret/x"));
            assertEquals("http://secret/x", target(mapper, "/%2e/secret/x"));
        }

        @Test
        void dotsInsideSegmentNamesStay() {
            PathMapper mapper = mapper(pass("/", "http://b/"));
            assertEquals("http://b/a/..x/...", target(mapper, "/a/..x/..."));
            assertEquals("http://b/a/b%2F..", target(mapper, "/a/b%2F.."));
        }

        @Test
        void dotSegmentsCannotSneakPastAnExclusion() {
            PathMapper mapper = mapper(exclude("/app/private"), pass("/app", "http://b/app"));
            assertTrue(mapper.map("/app/public/../private/key").orElseThrow().excluded());
            assertTrue(mapper.map("/app/public/%2E%2E/private/key").orElseThrow().excluded());
        }

        @Test
        void trailingDotSegmentLeavesADirectory() {
            PathMapper mapper = mapper(pass("/app/", "http://b/app/"));
            assertEquals("http://b/app/", target(mapper, "/app/x/.."));
            assertEquals("http://b/app/", target(mapper, "/app/."));
        }
    }

    @Nested
    class RegexRules {

        @Test
        void groupReferenceIsSubstituted() {
            PathMapper mapper = mapper(passMatch("^/foo/(.*)$", "http://h/bar/$1"));
            assertEquals("http://h/bar/x/y", target(mapper, "/foo/x/y"));
        }

        @Test
        void optionalGroupThatDidNotParticipateGivesEmpty() {
            PathMapper mapper = mapper(passMatch("^/reverse-slash(/.*)?$", "http://h:1$1"));
            assertEquals("http://h:1", target(mapper, "/reverse-slash"));
            assertEquals("http://h:1/", target(mapper, "/reverse-slash/"));
            assertEquals("http://h:1/a", target(mapper, "/reverse-slash/a"));
        }

        @Test
        void groupRightAfterTheBalancerNameIsThePath() {
            Mapping mapping = mapper(passMatch("^(/.*)$", "balancer://mycluster$1")).map("/a/b").orElseThrow();
            assertEquals("mycluster", mapping.target().balancer());
            assertEquals("/a/b", mapping.target().path());
        }

        @Test
        void groupRightAfterThePortIsTheWholePath() {
            Mapping mapping = mapper(passMatch("(.*)", "http://h:1$1")).map("/ok").orElseThrow();
            assertEquals("http://h:1", mapping.target().origin());
            assertEquals("/ok", mapping.target().path());
        }

        @Test
        void withoutBackreferenceTheWholePathIsAppended() {
            PathMapper mapper = mapper(passMatch("^/baltest_echo_post", "balancer://failover/echo_post"));
            assertEquals("balancer://failover/echo_post/baltest_echo_post", target(mapper, "/baltest_echo_post"));
        }

        @Test
        void regexIsUnanchoredUnlessThePatternAnchorsIt() {
            PathMapper mapper = mapper(passMatch("\\.gif$", "balancer://foo"));
            assertEquals("balancer://foo/a/b.gif", target(mapper, "/a/b.gif"));
            assertTrue(mapper.map("/a/b.gif/x").isEmpty());
        }

        @Test
        void wholePathAppendedToBalancerWithTrailingSlashIsGluedOnAsInHttpd() {
            assertEquals("balancer://foo//a/b.gif", target(mapper(passMatch("\\.gif$", "balancer://foo/")), "/a/b.gif"));
        }

        @Test
        void wholePathAppendedKeepsTheRawEncoding() {
            PathMapper mapper = mapper(passMatch("\\.gif$", "http://b"));
            assertEquals("http://b/a%2Fb%20c.gif", target(mapper, "/a%2Fb%20c.gif"));
        }

        @Test
        void groupZeroIsTheWholeMatch() {
            assertEquals("http://h/img/x.gif", target(mapper(passMatch("[^/]+\\.gif$", "http://h/img/$0")), "/a/x.gif"));
        }

        @Test
        void referenceToAMissingGroupGivesEmpty() {
            assertEquals("http://h/x/", target(mapper(passMatch("^/(x)", "http://h/$1/$2")), "/x"));
        }

        @Test
        void dollarNotFollowedByADigitIsLiteral() {
            PathMapper mapper = mapper(passMatch("^/d/(.*)$", "http://h/$x/$1$"));
            assertEquals("http://h/$x/q$", target(mapper, "/d/q"));
        }

        @Test
        void targetWithOnlyLiteralDollarsStillGetsTheWholePath() {
            assertEquals("http://h/cost$/d/q", target(mapper(passMatch("^/d", "http://h/cost$")), "/d/q"));
        }

        @Test
        void backslashMakesTheDollarLiteral() {
            // ap_pregsub: a backslash takes the next character as it is
            assertEquals("http://h/$1/q", target(mapper(passMatch("^/d/(.*)$", "http://h/\\$1/$1")), "/d/q"));
        }

        @Test
        void regexMatchesTheDecodedPath() {
            PathMapper mapper = mapper(passMatch("^/café/(\\w+) x$", "http://h/$1"));
            assertEquals("http://h/menu", target(mapper, "/caf%C3%A9/menu%20x"));
        }

        @Test
        void substitutedGroupIsEncodedAgainForTheUrlPath() {
            PathMapper mapper = mapper(passMatch("^/r/(.*)$", "http://h/$1"));
            assertEquals("http://h/a%20b%3Fc%25d%5Be%5D%C3%A9:@!$&'()*+,;=-._~",
                    target(mapper, "/r/a%20b%3Fc%25d[e]%C3%A9:@!$&'()*+,;=-._~"));
        }

        @Test
        void encodedSlashInASubstitutedGroupBecomesASlash() {
            // the group is taken from the decoded path, as httpd's r->uri, so %2F can no longer be told apart
            assertEquals("http://h/a/b", target(mapper(passMatch("^/r/(.*)$", "http://h/$1")), "/r/a%2Fb"));
        }

        @Test
        void nocanonMatchesTheRawPathAndCopiesGroupsVerbatim() {
            PathMapper mapper = mapper(passMatchNocanon("^/r/a%2F(.*)$", "http://h/$1"));
            assertEquals("http://h/b%2Fc%20d[e]", target(mapper, "/r/a%2Fb%2Fc%20d[e]"));
            assertTrue(mapper.map("/r/a/b").isEmpty());
        }

        @Test
        void invalidEncodingFallsBackToTheRawPathWithGroupsVerbatim() {
            PathMapper mapper = mapper(passMatch("^/r/(.*)$", "http://h/$1"));
            assertEquals("http://h/100%zz", target(mapper, "/r/100%zz"));
            assertEquals("http://h/%FF%20", target(mapper, "/r/%FF%20"));
        }
    }

    @Nested
    class OddInput {

        @ParameterizedTest
        @ValueSource(strings = {"/%", "/%2", "/%G1", "/app/%", "/app/%%%", "/%C3", "/%C3%28", "/%00", "/\uD800",
                "/app/..%", "/../..", "//", "/.%2", "/a/%2e%", ""})
        void oddPathsNeverThrow(String raw) {
            PathMapper mapper = mapper(pass("/app", "http://b/app"), passMatch("^/(.*)$", "http://h/$1"),
                    pass("/", "http://b/"));
            PathMapper unmerged = unmergedMapper(passMatch("x", "http://h/$1"), pass("/café", "http://c"));
            assertDoesNotThrow(() -> mapper.map(raw));
            assertDoesNotThrow(() -> unmerged.map(raw));
        }

        @Test
        void undecodableEscapeIsComparedLiterally() {
            assertEquals("http://b/app/x", target(mapper(pass("/%zz", "http://b/app")), "/%zz/x"));
        }

        @Test
        void loneSurrogateMatchesNoRuleCharacter() {
            assertTrue(mapper(pass("/a?", "http://b/")).map("/a\uD800").isEmpty());
        }

        @Test
        void truncatedEscapeAtTheEndIsTakenAsALiteralPercent() {
            assertEquals("http://b/app/%252", target(mapper(pass("/app", "http://b/app")), "/app/%2"));
        }
    }

    @Nested
    class Construction {

        @Test
        void ruleWithNeitherPathNorPatternIsRefused() {
            PassRule broken = new PassRule(null, null, BackendTarget.parse("http://b"), false, false, false, false,
                    SourceLocation.unknown("test"));
            assertThrows(IllegalArgumentException.class, () -> new PathMapper(List.of(broken), true));
        }

        @Test
        void ruleWithBothPathAndPatternIsRefused() {
            PassRule broken = new PassRule("/a", Pattern.compile("a"), BackendTarget.parse("http://b"), false, false, false, false,
                    SourceLocation.unknown("test"));
            assertThrows(IllegalArgumentException.class, () -> new PathMapper(List.of(broken), true));
        }

        @Test
        void forwardingRuleWithoutTargetIsRefused() {
            assertThrows(IllegalArgumentException.class, () -> new PathMapper(List.of(pass("/a", null)), true));
        }

        @Test
        void prefixNotStartingWithSlashIsRefused() {
            assertThrows(IllegalArgumentException.class, () -> new PathMapper(List.of(pass("a", "http://b")), true));
        }
    }
}
