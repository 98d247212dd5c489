package org.portico.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDatesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Sunday, 06-Nov-94 08:49:37 GMT   | Sun, 06 Nov 1994 08:49:37 GMT",
        "Thursday, 01-Jan-70 00:00:01 GMT | Thu, 01 Jan 1970 00:00:01 GMT",
        "Friday, 31-Dec-99 23:59:59 GMT   | Fri, 31 Dec 1999 23:59:59 GMT",
        "Tuesday, 29-Feb-00 12:00:00 GMT  | Tue, 29 Feb 2000 12:00:00 GMT",
        "Tuesday, 31-Dec-69 23:59:59 GMT  | Tue, 31 Dec 2069 23:59:59 GMT",
        "Wednesday, 21-oct-26 07:28:00 GMT | Wed, 21 Oct 2026 07:28:00 GMT",
    })
    void rfc850BecomesRfc1123WithAprsTwoDigitYearPivot(String rfc850, String rfc1123) {
        assertEquals(rfc1123, HttpDates.normalise(rfc850));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "'Sun Nov  6 08:49:37 1994' | Sun, 06 Nov 1994 08:49:37 GMT",
        "'Wed Nov 16 08:49:37 1994' | Wed, 16 Nov 1994 08:49:37 GMT",
        "'Sun Nov 06 08:49:37 1994' | Sun, 06 Nov 1994 08:49:37 GMT",
        "'Sun Nov 6 08:49:37 1994'  | Sun, 06 Nov 1994 08:49:37 GMT",
        "'Tue Feb 29 12:00:00 2000' | Tue, 29 Feb 2000 12:00:00 GMT",
    })
    void asctimeBecomesRfc1123(String asctime, String rfc1123) {
        assertEquals(rfc1123, HttpDates.normalise(asctime));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Monday, 06-Nov-94 08:49:37 GMT | Sun, 06 Nov 1994 08:49:37 GMT",
        "'Fri Nov  6 08:49:37 1994'     | Sun, 06 Nov 1994 08:49:37 GMT",
    })
    void aWrongWeekdayIsIgnoredAndTheRightOneWritten(String in, String out) {
        assertEquals(out, HttpDates.normalise(in));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
        "0",                                     // Expires: 0 (httpd-tests / §12.15)
        "-1",
        "",
        "Sun, 06 Nov 1994 08:49:37 GMT",         // already RFC 1123
        "Sunday, 31-Feb-94 08:49:37 GMT",        // no such day
        "Sunday, 06-Nov-94 25:49:37 GMT",        // no such hour
        "Sunday, 06-Nov-94 08:49:37 PST",        // RFC 850 dates are GMT
        "Sunday, 06-Foo-94 08:49:37 GMT",        // no such month
        "Sun Nov  6 08:49:37 94",                // asctime has four-digit years
        "Sun Nov  6 08:49:37 1994 GMT",
        "tomorrow",
    })
    void anythingElsePassesUnchanged(String value) {
        assertSame(value, HttpDates.normalise(value));
    }
}
