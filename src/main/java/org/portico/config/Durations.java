package org.portico.config;

import java.time.Duration;

/** Parses the descriptor's durations: a whole number with an explicit unit (ms, s, m, h). */
public final class Durations {

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming the accepted form when {@code text} has no known unit
     */
    public static Duration parse(String text) {
        String t = text.trim();
        int digits = 0;
        while (digits < t.length() && Character.isDigit(t.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 9) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a whole number and a unit, e.g. 250ms, 5s, 2m, 1h");
        }
        long value = Long.parseLong(t.substring(0, digits));
        switch (t.substring(digits)) {
            case "ms": return Duration.ofMillis(value);
            case "s": return Duration.ofSeconds(value);
            case "m": return Duration.ofMinutes(value);
            case "h": return Duration.ofHours(value);
            default:
                throw new IllegalArgumentException("'" + text + "' has no known unit: use ms, s, m or h");
        }
    }
}
