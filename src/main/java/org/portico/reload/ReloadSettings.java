package org.portico.reload;

import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.portico.config.Durations;

/**
 * How the descriptor reloads: {@code portico.reload} is {@code manual} (the default: only the balancer-manager's
 * "Reload descriptor" button or its POST {@code reload=1}), {@code watch} (also when the file changes, seen by
 * polling every {@code portico.reload-interval}, default 2s) or {@code off}. Each is a system property or a
 * context param (the system property wins).
 *
 * @param interval how often the file is looked at in watch mode; a change is acted on once the file stayed the
 *                 same for one interval, so that a file still being written is not loaded half-way
 */
public record ReloadSettings(Mode mode, Duration interval) {

    public static final String MODE = "portico.reload";
    public static final String INTERVAL = "portico.reload-interval";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    /** Whether and how the descriptor reloads at run time. */
    public enum Mode {
        OFF, MANUAL, WATCH;

        /** Whether the manager's reload action works. */
        public boolean manual() {
            return this != OFF;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param values a setting's value by name (null when unset)
     * @throws IllegalArgumentException naming the setting and what it accepts
     */
    public static ReloadSettings from(UnaryOperator<String> values) {
        String m = values.apply(MODE);
        Mode mode = Mode.MANUAL;
        if (m != null && !m.isBlank()) {
            try {
                mode = Mode.valueOf(m.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(MODE + " '" + m + "' is not one of off, manual, watch");
            }
        }
        String i = values.apply(INTERVAL);
        Duration interval = DEFAULT_INTERVAL;
        if (i != null && !i.isBlank()) {
            interval = Durations.parse(i.trim());
            if (interval.toMillis() < 50 || interval.toMinutes() > 10) {
                throw new IllegalArgumentException(INTERVAL + " '" + i + "' is out of range: use 50ms to 10m");
            }
        }
        return new ReloadSettings(mode, interval);
    }
}
