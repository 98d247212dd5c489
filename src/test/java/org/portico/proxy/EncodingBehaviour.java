package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.portico.testkit.RawHttp.RawResponse;
import org.portico.testkit.RecordedRequest;

/**
 * The request-target reaches the backend byte for byte (spec section 3.1: the remainder after the
 * matched prefix is appended verbatim; the query string is appended as the client sent it). Sent
 * on a raw socket, so no client library re-encodes anything on the way.
 */
interface EncodingBehaviour extends ProxyUnderTest {

    @Test
    default void encodedQuestionMarkStaysInThePathAndStartsNoQuery() {
        RecordedRequest r = proxiedToAlpha("/enc/question%3Fmark");
        assertEquals("/enc/question%3Fmark", r.target());
        assertNull(r.query());
    }

    @Test
    default void percentEncodedUtf8IsPassedUnchanged() {
        assertEquals("/enc/caf%C3%A9", proxiedToAlpha("/enc/caf%C3%A9").target());
    }

    @Test
    default void thePathIsForwardedInHttpdsCanonicalForm() {
        assertEquals(200, rawGet("/alpha/enc/canon/%7Euser").status());
        assertEquals(200, rawGet("/alpha/enc/canon/caf%c3%a9x").status());
        // looked up by what the backend must have received
        assertEquals("/enc/canon/~user", topology().alpha.onlyRequestUnder("/enc/canon/~").target(),
                "an unreserved character is decoded");
        assertEquals("/enc/canon/caf%C3%A9x", topology().alpha.onlyRequestUnder("/enc/canon/caf").target(),
                "escapes are upper case");
    }

    @Test
    default void queryStringIsPassedByteForByte() {
        String query = "a=%2F&b=%20+c&e=%C3%A9&f=%25&g=x?y&h==&i&&j=%3D%26";
        assertEquals("/enc/query?" + query, proxiedToAlpha("/enc/query?" + query).target());
    }

    @Test
    default void encodedPercentReachesTheBackendStillEncoded() {
        if (container() == Container.JETTY) {
            // Jetty's default URI compliance answers "400 Ambiguous URI path encoding" itself
            assertRefusedByContainer("/alpha/enc/100%25");
            return;
        }
        assertEquals("/enc/100%25", proxiedToAlpha("/enc/100%25").target());
    }

    @Test
    default void encodedSlashInAPathIsRefusedByTheContainerBeforePorticoSeesIt() {
        // both containers' defaults: Tomcat's encodedSolidusHandling=reject ("The encoded slash character is
        // not allowed"), Jetty's URI compliance ("Ambiguous URI path separator"). %2F in the query passes
        // (queryStringIsPassedByteForByte); the standalone launcher configures Jetty to accept it.
        assertRefusedByContainer("/alpha/enc/a%2Fb");
    }

    @Test
    default void encodedSquareBracketsReachTheBackendStillEncoded() {
        assertEquals("/enc/%5Bx%5D", proxiedToAlpha("/enc/%5Bx%5D").target());
    }

    @Test
    default void rawSquareBracketsInAPathAreRefusedByTheContainerBeforePorticoSeesThem() {
        // RFC 3986 does not allow them unencoded in a path: Tomcat refuses them unless relaxedPathChars
        // allows it, Jetty answers "400 Illegal Path Character"; the encoded form passes (test above)
        assertRefusedByContainer("/alpha/enc/[x]");
    }

    /** Sends GET /alpha + {@code target} raw, expects 200 and returns what alpha received for it. */
    private RecordedRequest proxiedToAlpha(String target) {
        RawResponse r = rawGet("/alpha" + target);
        assertEquals(200, r.status(), () -> r.statusLine() + "\n" + r.bodyText());
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        RecordedRequest received = topology().alpha.onlyRequestUnder(path);
        assertTrue(received.path().equals(path), received::toString);
        return received;
    }
}
