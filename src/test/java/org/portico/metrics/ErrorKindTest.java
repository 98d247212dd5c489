package org.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.portico.balancer.Failure;
import org.portico.proxy.ExchangeListener.End;

/** Which kind an exchange's end is counted under: backend failure, then client abort, then a relayed 5xx. */
class ErrorKindTest {

    private static String kind(End end) {
        int i = ErrorKind.of(end);
        return i < 0 ? null : ErrorKind.LABELS.get(i);
    }

    @Test
    void everyFailureOfTheProxyIsAKindOfItsOwn() {
        for (Failure f : Failure.values()) {
            assertEquals(f.name().toLowerCase(java.util.Locale.ROOT), kind(new End(0, f, false, 1)));
        }
        assertEquals("connect_failed", kind(new End(0, Failure.CONNECT_FAILED, false, 1)));
    }

    @Test
    void aFailureAfterTheResponseHeadCountsAsTheFailureNotItsStatus() {
        assertEquals("bad_response", kind(new End(503, Failure.BAD_RESPONSE, false, 1)));
    }

    @Test
    void aClientThatWentAwayIsAClientAbortWhateverTheStatus() {
        assertEquals("client_abort", kind(new End(200, null, true, 1)));
        assertEquals("client_abort", kind(new End(0, null, true, 1)));
    }

    @Test
    void aRelayed5xxIsAnErrorAnd4xxIsNot() {
        assertEquals("status_5xx", kind(new End(502, null, false, 1)));
        assertEquals(null, kind(new End(404, null, false, 1)));
        assertEquals(null, kind(new End(200, null, false, 1)));
    }
}
