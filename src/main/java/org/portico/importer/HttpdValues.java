package org.portico.importer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** httpd's ways of reading numbers and times from a configuration, reproduced with their quirks. */
final class HttpdValues {

    private static final Pattern ATOI = Pattern.compile("^\\s*([+-]?\\d+)(.*)$", Pattern.DOTALL);
    private static final Pattern ATOF = Pattern.compile("^\\s*([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)(.*)$", Pattern.DOTALL);

    private HttpdValues() {
    }

    /** C's atoi: leading digits, anything after them ignored; 0 when there are none. */
    record Int(long value, String ignored) {
        boolean hasSuffix() {
            return !ignored.isEmpty();
        }
    }

    static Int atoi(String text) {
        Matcher m = ATOI.matcher(text);
        if (!m.matches()) {
            return new Int(0, text);
        }
        String digits = m.group(1);
        long v;
        try {
            v = Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
        } catch (NumberFormatException e) {
            v = digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return new Int(v, m.group(2));
    }

    /** C's atof: a leading decimal number, anything after it ignored; NaN-free, 0 when there is none. */
    record Decimal(double value, String ignored) {
    }

    static Decimal atof(String text) {
        Matcher m = ATOF.matcher(text);
        if (!m.matches()) {
            return new Decimal(0, text);
        }
        return new Decimal(Double.parseDouble(m.group(1)), m.group(2));
    }

    /**
     * httpd's {@code ap_timeout_parameter_parse}: a whole number and an optional unit ({@code ms}, {@code s},
     * {@code mi} for minutes, {@code h}; only the letters that tell them apart are looked at), the default
     * unit when none is written. Returns milliseconds, or null for what httpd calls a wrong format.
     */
    static Long timeoutMillis(String text, String defaultUnit) {
        Matcher m = ATOI.matcher(text);
        long n;
        String unit;
        if (m.matches()) {
            try {
                n = Long.parseLong(m.group(1).startsWith("+") ? m.group(1).substring(1) : m.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            unit = m.group(2).isEmpty() ? defaultUnit : m.group(2);
        } else {
            n = 0;
            unit = text.isEmpty() ? defaultUnit : text;
        }
        switch (unit.charAt(0)) {
            case 'h':
                return Math.multiplyExact(n, 3_600_000L);
            case 's':
                return Math.multiplyExact(n, 1000L);
            case 'm':
                if (unit.length() > 1 && unit.charAt(1) == 's') {
                    return n;
                }
                if (unit.length() > 1 && unit.charAt(1) == 'i') {
                    return Math.multiplyExact(n, 60_000L);
                }
                return null;
            default:
                return null;
        }
    }

    /** A descriptor duration: the shortest exact form with a unit (250ms, 5s, 2m, 1h). */
    static String duration(long millis) {
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** On or Off, case-insensitive, as the descriptor's boolean; null for anything else. */
    static String onOff(String text) {
        if ("on".equalsIgnoreCase(text)) {
            return "true";
        }
        if ("off".equalsIgnoreCase(text)) {
            return "false";
        }
        return null;
    }
}
