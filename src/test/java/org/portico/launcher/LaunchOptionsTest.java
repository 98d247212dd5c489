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

    @Test
    void reloadTakesOffManualOrWatchAndWatchNeedsADescriptorFile() {
        assertEquals(null, LaunchOptions.parse(new String[0]).reload(), "unset: the web app's default (manual) applies");
        assertEquals("watch", LaunchOptions.parse(new String[] {"--config", "p.xml", "--reload", "WATCH"}).reload());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--config", "p.xml", "--reload", "sometimes"}));
        assertEquals("--reload takes off, manual or watch, not 'sometimes'", bad.getMessage());
        IllegalArgumentException demo = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--demo", "--reload", "watch"}));
        assertTrue(demo.getMessage().startsWith("--reload watch watches the descriptor of --config"), demo.getMessage());
    }
}
