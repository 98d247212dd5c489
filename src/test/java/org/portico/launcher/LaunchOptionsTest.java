package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The launcher's command line, where it sets limits. */
class LaunchOptionsTest {

    @Test
    void theHeaderTimeoutIsMod_reqtimeoutsTwentySecondsUnlessGiven() {
        assertEquals(Duration.ofSeconds(20), LaunchOptions.parse(new String[0]).headerTimeout());
        assertEquals(Duration.ofMillis(1500), LaunchOptions.parse(new String[] {"--header-timeout", "1500ms"}).headerTimeout());
        assertEquals(Duration.ZERO, LaunchOptions.parse(new String[] {"--header-timeout", "0"}).headerTimeout());
    }

    @Test
    void aHeaderTimeoutWithoutUnitIsRefusedWithTheAcceptedForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--header-timeout", "20"}));
        assertTrue(e.getMessage().startsWith("--header-timeout: '20' has no known unit"), e.getMessage());
    }
}
