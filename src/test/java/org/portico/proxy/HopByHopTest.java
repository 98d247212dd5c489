package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which response headers stay behind at the proxy: the fixed hop-by-hop set and the Connection tokens, in any case. */
class HopByHopTest {

    @Test
    void responseHopByHopNamesAreSkippedWhateverTheirCase() {
        for (String name : List.of("Connection", "KEEP-ALIVE", "keep-alive", "Proxy-Connection", "proxy-authenticate",
                "TE", "Trailer", "UPGRADE", "Transfer-Encoding", "content-length")) {
            assertTrue(HopByHop.responseSkips(name, Set.of()), name);
        }
    }

    @Test
    void aResponseHeaderNamedInConnectionIsSkippedWhateverTheCaseOfEither() {
        Set<String> tokens = HopByHop.addTokens(Set.of(), "close, X-Backend-SECRET");
        assertTrue(HopByHop.responseSkips("x-backend-secret", tokens));
        assertTrue(HopByHop.responseSkips("X-Backend-Secret", tokens));
    }

    @Test
    void endToEndResponseHeadersPass() {
        Set<String> tokens = HopByHop.addTokens(Set.of(), "X-Backend-Secret");
        for (String name : List.of("Content-Type", "Date", "Server", "Set-Cookie", "ETag", "X-End-To-End", "Tee", "Upgraded")) {
            assertFalse(HopByHop.responseSkips(name, tokens), name);
            assertFalse(HopByHop.responseSkips(name, Set.of()), name);
        }
    }

    @Test
    void namesBothDirectionsDropAnywayAddNoTokenSoKeepAliveCostsNoSet() {
        assertTrue(HopByHop.addTokens(Set.of(), "keep-alive").isEmpty());
        assertTrue(HopByHop.addTokens(Set.of(), "Keep-Alive, Upgrade, TE").isEmpty());
        assertEquals(Set.of("close"), HopByHop.addTokens(Set.of(), "keep-alive, close"));
        assertTrue(HopByHop.requestSkips("keep-alive", Set.of()));
        assertTrue(HopByHop.responseSkips("Keep-Alive", Set.of()));
    }
}
