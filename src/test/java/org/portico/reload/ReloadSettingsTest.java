package org.portico.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reload settings an operator gives: manual by default, a bad value refused naming the setting. */
class ReloadSettingsTest {

    @Test
    void unsetIsManualEveryTwoSeconds() {
        ReloadSettings s = ReloadSettings.from(name -> null);
        assertEquals(ReloadSettings.Mode.MANUAL, s.mode());
        assertEquals(Duration.ofSeconds(2), s.interval());
    }

    @Test
    void watchWithAnIntervalIsTaken() {
        ReloadSettings s = ReloadSettings.from(Map.of("portico.reload", " Watch ", "portico.reload-interval", "250ms")::get);
        assertEquals(ReloadSettings.Mode.WATCH, s.mode());
        assertEquals(Duration.ofMillis(250), s.interval());
    }

    @Test
    void aBadModeOrIntervalIsRefusedNamingTheSetting() {
        assertEquals("portico.reload 'often' is not one of off, manual, watch", assertThrows(IllegalArgumentException.class,
                () -> ReloadSettings.from(Map.of("portico.reload", "often")::get)).getMessage());
        assertEquals("portico.reload-interval '10ms' is out of range: use 50ms to 10m", assertThrows(IllegalArgumentException.class,
                () -> ReloadSettings.from(Map.of("portico.reload-interval", "10ms")::get)).getMessage());
    }
}
