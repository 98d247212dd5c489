package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The To and From columns: httpd's four-character sizes. */
class ByteSizeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|'  0 '", "972|'972 '", "973|'1.0K'", "1024|'1.0K'", "1229|'1.2K'", "9215|'9.0K'",
            "10240|' 10K'", "12582912|' 12M'", "1073741824|'1.0G'", "-1|'  - '"})
    void sizesHaveFourCharacters(long bytes, String shown) {
        assertEquals(shown, ByteSize.format(bytes));
        assertEquals(4, ByteSize.format(bytes).length());
    }
}
