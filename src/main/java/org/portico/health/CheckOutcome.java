package org.portico.health;

/**
 * The result of one health check: passed or not, why, when it started and how long it took.
 *
 * @param detail what was seen, e.g. {@code status 200}, {@code connect refused}, {@code hcexpr ok: false}
 * @param startedMillis wall-clock start of the check
 */
public record CheckOutcome(boolean passed, String detail, long startedMillis, long durationNanos) {

    public long durationMillis() {
        return durationNanos / 1_000_000;
    }
}
