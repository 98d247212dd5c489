package org.portico.config;

/**
 * httpd's worker status flags, in the order httpd prints them ({@code Init Ign Drn ... Ok}).
 * Configuration uses them as initial status; the balancer keeps the live ones.
 */
public enum StatusFlag {
    IGNORE_ERRORS('I', "Ign", false),
    DRAIN('N', "Drn", false),
    DISABLED('D', "Dis", true),
    STOPPED('S', "Stop", true),
    IN_ERROR('E', "Err", true),
    HOT_STANDBY('H', "Stby", false),
    HOT_SPARE('R', "Spar", false),
    HC_FAIL('C', "HcFl", true);

    private final char letter;
    private final String label;
    private final boolean makesUnusable;

    StatusFlag(char letter, String label, boolean makesUnusable) {
        this.letter = letter;
        this.label = label;
        this.makesUnusable = makesUnusable;
    }

    public char letter() {
        return letter;
    }

    /** The word httpd's status string uses, e.g. {@code Stby}. */
    public String label() {
        return label;
    }

    /** Whether this flag alone makes a worker unusable (httpd's PROXY_WORKER_IS_USABLE). */
    public boolean makesUnusable() {
        return makesUnusable;
    }

    public int bit() {
        return 1 << ordinal();
    }

    /** The flag for a status letter, case-insensitive, or null. */
    public static StatusFlag ofLetter(char c) {
        char u = Character.toUpperCase(c);
        for (StatusFlag f : values()) {
            if (f.letter == u) {
                return f;
            }
        }
        return null;
    }

    /**
     * Applies httpd's status syntax to a bit set: {@code +} sets and {@code -} clears, the mode persists
     * until changed ({@code S-E} sets S and clears E).
     *
     * @throws IllegalArgumentException naming the letter that is not a status flag
     */
    public static int apply(int bits, String spec) {
        boolean set = true;
        for (char c : spec.toCharArray()) {
            if (c == '+') {
                set = true;
            } else if (c == '-') {
                set = false;
            } else {
                StatusFlag f = ofLetter(c);
                if (f == null) {
                    throw new IllegalArgumentException("unknown status flag '" + c + "': use I, N, D, S, E, H, R or C");
                }
                bits = set ? bits | f.bit() : bits & ~f.bit();
            }
        }
        return bits;
    }
}
