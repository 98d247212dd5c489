package org.portico.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PercentEncodingTest {

    @Test
    void decodesUtf8Escapes() {
        assertEquals("/café/a b/%", PercentEncoding.decode("/caf%C3%a9/a%20b/%25"));
    }

    @Test
    void decodingRefusesMalformedEscapes() {
        assertNull(PercentEncoding.decode("/a%2"));
        assertNull(PercentEncoding.decode("/a%zz"));
    }

    @Test
    void decodingRefusesBytesThatAreNotUtf8() {
        assertNull(PercentEncoding.decode("/caf%E9"));
    }

    @Test
    void encodingKeepsPathCharactersAndEscapesTheRest() {
        assertEquals("/a%20b%3F%23%25%5B%5D%C3%A9:@!$&'()*+,;=-._~",
                PercentEncoding.encodePath("/a b?#%[]é:@!$&'()*+,;=-._~"));
    }

    @Test
    void escapedByteAtReadsOnlyCompleteEscapes() {
        assertEquals(0xE9, PercentEncoding.escapedByteAt("%e9", 0));
        assertEquals(-1, PercentEncoding.escapedByteAt("%e", 0));
        assertEquals(-1, PercentEncoding.escapedByteAt("x%e9", 0));
    }
}
