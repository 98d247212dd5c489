package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.balancer.TestBalancers.balancer;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.portico.config.BalancerConfig;

/** Session and route extraction (spec §5 points 2–5). */
class StickyRouteTest {

    private static final BalancerConfig JSESSIONID = balancer().sticky("JSESSIONID|jsessionid").build();

    private static String routeFromCookie(String header, BalancerConfig c) {
        StickyRoute s = StickyRoute.fromCookieHeader(header, c);
        return s == null ? null : s.route();
    }

    private static String routeFromPath(String url, BalancerConfig c) {
        StickyRoute s = StickyRoute.fromPath(url, c);
        return s == null ? null : s.route();
    }

    /** Every row of the route table in spec §5 point 5. */
    @Nested
    class RouteTable {

        @Test
        void routeIsTheTextAfterTheSeparator() {
            assertEquals("node1", routeFromCookie("JSESSIONID=ABC123.node1", JSESSIONID));
        }

        @Test
        void onlyTheFirstSeparatorSplits() {
            assertEquals("def.node1", routeFromCookie("JSESSIONID=abc.def.node1", JSESSIONID));
        }

        @Test
        void aValueWithoutTheSeparatorHasNoRoute() {
            StickyRoute s = StickyRoute.fromCookieHeader("JSESSIONID=ABC123", JSESSIONID);
            assertEquals("ABC123", s.value());
            assertNull(s.route());
            assertFalse(s.hasRoute());
        }

        @Test
        void aValueStartingWithTheSeparatorIsAllRoute() {
            assertEquals("1", routeFromCookie("ROUTEID=.1", balancer().sticky("ROUTEID").build()));
        }

        @Test
        void withoutScolonpathdelimTheSemicolonStaysInTheRoute() {
            assertEquals("n1;x=y", routeFromPath("/app;jsessionid=A.n1;x=y", JSESSIONID));
        }

        @Test
        void withScolonpathdelimTheSemicolonEndsTheValue() {
            BalancerConfig c = balancer().sticky("JSESSIONID|jsessionid").scolonPathDelim(true).build();
            assertEquals("n1", routeFromPath("/app;jsessionid=A.n1;x=y", c));
        }

        @Test
        void anotherSeparatorCharacter() {
            BalancerConfig c = balancer().sticky("JSESSIONID").separator('!').build();
            assertEquals("x", routeFromCookie("JSESSIONID=ABC.node1!x", c));
        }
    }

    @Nested
    class Separator {

        @Test
        void offMakesTheWholeValueTheRoute() {
            BalancerConfig c = balancer().sticky("ROUTEID").separator((char) 0).build();
            assertEquals("abc.node1", routeFromCookie("ROUTEID=abc.node1", c));
        }

        @Test
        void anEmptyRouteIsNoRoute() {
            assertNull(StickyRoute.routeOf("abc.", '.'));
            assertNull(StickyRoute.routeOf("", (char) 0));
            assertNull(StickyRoute.routeOf(null, '.'));
        }
    }

    @Nested
    class UrlParameter {

        @Test
        void aPathParameterIsFound() {
            StickyRoute s = StickyRoute.fromPath("/shop/cart;jsessionid=XYZ.n2", JSESSIONID);
            assertEquals(new StickyRoute("jsessionid", "XYZ.n2", "n2"), s);
        }

        @Test
        void aQueryParameterIsFoundToo() {
            assertEquals("n3", routeFromPath("/shop/cart?a=1&jsessionid=Q.n3&b=2", JSESSIONID));
        }

        @ParameterizedTest
        @CsvSource({
            "/x;jsessionid=A.n1?q=1, n1",
            "/x;jsessionid=A.n1&q=1, n1",
            "/x?jsessionid=A.n1&q=1, n1",
            "/x?jsessionid=A.n1, n1"})
        void theValueEndsAtAQuestionMarkOrAmpersand(String url, String route) {
            assertEquals(route, routeFromPath(url, JSESSIONID));
        }

        @Test
        void theNameIsAPlainSubstringWithoutDelimiterBeforeIt() {
            assertEquals("n1", routeFromPath("/x?xjsessionid=A.n1", JSESSIONID), "as httpd's strstr");
        }

        @Test
        void anOccurrenceNotFollowedByEqualsIsSkipped() {
            assertEquals("n2", routeFromPath("/jsessionid/x;jsessionidx=A.n1;jsessionid=B.n2", JSESSIONID));
        }

        @Test
        void theNameIsCaseSensitive() {
            assertNull(StickyRoute.fromPath("/x;JSESSIONID=A.n1", JSESSIONID));
        }

        @Test
        void anEmptyValueIsSkipped() {
            assertNull(StickyRoute.fromPath("/x?jsessionid=&other=A.n1", JSESSIONID));
            assertEquals("n2", routeFromPath("/x?jsessionid=&jsessionid=B.n2", JSESSIONID));
            assertNull(StickyRoute.fromPath("/x?jsessionid=", JSESSIONID));
        }

        @Test
        void theBarSeparatesCookieNameFromParameterName() {
            BalancerConfig c = balancer().sticky("SESS|s").build();
            assertEquals(new StickyRoute("s", "A.n1", "n1"), StickyRoute.fromPath("/x?s=A.n1", c));
            assertNull(StickyRoute.fromPath("/x?SESS=A.n1", c));
            assertEquals(new StickyRoute("SESS", "A.n2", "n2"), StickyRoute.fromCookieHeader("SESS=A.n2", c));
        }
    }

    @Nested
    class Cookie {

        @ParameterizedTest
        @ValueSource(strings = {
            "JSESSIONID=A.n1",
            "a=b;JSESSIONID=A.n1",
            "a=b; JSESSIONID=A.n1",
            "a=b,JSESSIONID=A.n1",
            "a=b,\tJSESSIONID=A.n1",
            "JSESSIONID =A.n1",
            "JSESSIONID \t=A.n1; z=1",
            "JSESSIONID=A.n1, z=1"})
        void theNameStartsTheHeaderOrFollowsASeparatorOrWhitespace(String header) {
            assertEquals("n1", routeFromCookie(header, JSESSIONID));
        }

        @Test
        void aNameGluedToAnotherIsNotTheCookie() {
            assertNull(StickyRoute.fromCookieHeader("XJSESSIONID=A.n1", JSESSIONID));
            assertEquals("n2", routeFromCookie("XJSESSIONID=A.n1; JSESSIONID=B.n2", JSESSIONID));
            assertEquals("n2", routeFromCookie("JSESSIONIDX=A.n1; JSESSIONID=B.n2", JSESSIONID));
        }

        @Test
        void theValueRunsToTheNextSemicolonOrComma() {
            assertEquals("A.n1", StickyRoute.fromCookieHeader("JSESSIONID=A.n1;b=2", JSESSIONID).value());
            assertEquals("A.n1", StickyRoute.fromCookieHeader("JSESSIONID=A.n1,b=2", JSESSIONID).value());
        }

        @Test
        void theNameIsCaseSensitive() {
            assertNull(StickyRoute.fromCookieHeader("jsessionid=A.n1", JSESSIONID));
        }

        @Test
        void theFirstMatchWinsEvenWhenItsValueIsEmpty() {
            StickyRoute s = StickyRoute.fromCookieHeader("JSESSIONID=; JSESSIONID=B.n2", JSESSIONID);
            assertEquals("", s.value());
            assertNull(s.route());
        }

        @Test
        void aNameAtTheVeryEndWithNothingAfterEqualsIsSkipped() {
            assertNull(StickyRoute.fromCookieHeader("a=1; JSESSIONID=", JSESSIONID));
        }

        @Test
        void everyCookieHeaderIsSearched() {
            StickyRoute s = StickyRoute.fromCookieHeaders(List.of("a=1", "JSESSIONID=B.n2"), JSESSIONID);
            assertEquals("n2", s.route());
            assertEquals("JSESSIONID", s.name());
        }

        @Test
        void theFirstHeaderWinsOverLaterOnes() {
            assertEquals("n1", StickyRoute.fromCookieHeaders(List.of("JSESSIONID=A.n1", "JSESSIONID=B.n2"),
                    JSESSIONID).route());
        }

        @Test
        void nullHeadersAreSkipped() {
            assertEquals("n2", StickyRoute.fromCookieHeaders(Arrays.asList(null, "JSESSIONID=B.n2"), JSESSIONID).route());
            assertNull(StickyRoute.fromCookieHeaders(null, JSESSIONID));
            assertNull(StickyRoute.fromCookieHeaders(List.of(), JSESSIONID));
        }
    }

    @Nested
    class Precedence {

        @Test
        void theUrlParameterWinsOverTheCookie() {
            StickyRoute s = StickyRoute.find("/x;jsessionid=A.n1", List.of("JSESSIONID=B.n2"), JSESSIONID);
            assertEquals(new StickyRoute("jsessionid", "A.n1", "n1"), s);
        }

        @Test
        void aUrlParameterWithoutRouteStillHidesTheCookie() {
            StickyRoute s = StickyRoute.find("/x;jsessionid=A", List.of("JSESSIONID=B.n2"), JSESSIONID);
            assertEquals("A", s.value());
            assertNull(s.route());
        }

        @Test
        void theCookieIsUsedWhenTheUrlHasNone() {
            assertEquals("n2", StickyRoute.find("/x", List.of("JSESSIONID=B.n2"), JSESSIONID).route());
        }

        @Test
        void aBalancerWithoutStickysessionFindsNothing() {
            BalancerConfig c = balancer().build();
            assertNull(StickyRoute.find("/x;jsessionid=A.n1", List.of("JSESSIONID=B.n2"), c));
            assertNull(StickyRoute.fromPath("/x;=A.n1", c));
            assertNull(StickyRoute.fromCookieHeader("=A.n1", c));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "=", ";", ",", "JSESSIONID", "JSESSIONID=", "JSESSIONID==", "JSESSIONID=.",
        "JSESSIONID=;", "JSESSIONID=,", " JSESSIONID = ", "\u0000JSESSIONID=\u0000.\u0000", "jsessionid=A.",
        "%", "/x;jsessionid", "/x;jsessionid=", "/x?jsessionid=.", "\uD800JSESSIONID=a.\uDC00"})
    void malformedInputNeverThrows(String text) {
        assertDoesNotThrow(() -> {
            StickyRoute.find(text, List.of(text), JSESSIONID);
            StickyRoute.fromPath(text, JSESSIONID);
            StickyRoute.fromCookieHeader(text, JSESSIONID);
        });
    }

    @Test
    void nullInputMeansNoSession() {
        assertNull(StickyRoute.find(null, null, JSESSIONID));
        assertNull(StickyRoute.fromPath(null, JSESSIONID));
        assertNull(StickyRoute.fromCookieHeader(null, JSESSIONID));
        assertNull(StickyRoute.fromCookieHeader("JSESSIONID=A.n1", null));
    }

    @Test
    void aValueWithWhitespaceAfterEqualsKeepsIt() {
        StickyRoute s = StickyRoute.fromCookieHeader("JSESSIONID= A.n1", JSESSIONID);
        assertEquals(" A.n1", s.value(), "as httpd, only whitespace before '=' is skipped");
        assertTrue(s.hasRoute());
    }
}
