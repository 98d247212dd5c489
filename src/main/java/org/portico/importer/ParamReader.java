package org.portico.importer;

import java.math.BigDecimal;

/**
 * httpd's readers of parameter values, with their quirks (whole seconds with any unit ignored, {@code atof}
 * loadfactors, status letters), each reported when the import reads a value other than as written. Not
 * thread-safe: one per import.
 */
final class ParamReader {

    private static final int MAX_BUFFER = 1_048_576;

    private final ImportReport report;

    ParamReader(ImportReport report) {
        this.report = report;
    }

    String wholeSeconds(String directive, Params.Param p, Where where, long min, String tooSmall) throws ImportException {
        HttpdValues.Int n = HttpdValues.atoi(p.value());
        if (n.value() < min) {
            throw error(directive, where, tooSmall, p);
        }
        String imported = HttpdValues.duration(Math.multiplyExact(n.value(), 1000L));
        if (n.hasSuffix()) {
            report.warning(where, p + ": httpd reads " + p.key() + " as whole seconds and ignores '" + n.ignored()
                    + "', so this is " + n.value() + (n.value() == 1 ? " second" : " seconds") + "; imported as "
                    + p.lowerKey() + "=\"" + imported + "\"");
        }
        return imported;
    }

    long atLeast(String directive, Params.Param p, Where where, long min, String message) throws ImportException {
        HttpdValues.Int n = HttpdValues.atoi(p.value());
        if (n.value() < min) {
            throw error(directive, where, message, p);
        }
        if (n.hasSuffix()) {
            report.warning(where, p + ": httpd reads a whole number and ignores '" + n.ignored() + "'; imported as " + n.value());
        }
        return n.value();
    }

    String time(String directive, Params.Param p, Where where, String unit, String wrong, String tooSmall) throws ImportException {
        Long ms;
        try {
            ms = HttpdValues.timeoutMillis(p.value(), unit);
        } catch (ArithmeticException e) {
            ms = null;
        }
        if (ms == null) {
            throw error(directive, where, wrong, p);
        }
        if (ms < 1) {
            throw error(directive, where, tooSmall, p);
        }
        return HttpdValues.duration(ms);
    }

    String loadfactor(String directive, Params.Param p, Where where) throws ImportException {
        HttpdValues.Decimal d = HttpdValues.atof(p.value());
        // as httpd: atof(v) * 100 truncated to an int, which must lie in 100..10000
        int lbfactor = (int) (d.value() * 100.0);
        if (lbfactor < 100 || lbfactor > 10000) {
            throw error(directive, where, "LoadFactor must be a number between 1..100", p);
        }
        String imported = BigDecimal.valueOf(lbfactor).movePointLeft(2).stripTrailingZeros().toPlainString();
        if (!imported.equals(p.value().trim())) {
            boolean whole = lbfactor % 100 == 0;
            report.warning(where, p + ": httpd reads loadfactor as a decimal (atof), keeping two decimals"
                    + (d.ignored().isEmpty() ? "" : " and ignoring '" + d.ignored() + "'")
                    + (whole ? "" : " (httpd releases before 2.4.21 read whole numbers only)")
                    + "; imported as loadfactor=\"" + imported + "\"");
        } else if (lbfactor % 100 != 0) {
            report.warning(where, p + ": a decimal loadfactor, read as " + imported
                    + " (httpd releases before 2.4.21 read whole numbers only)");
        }
        return imported;
    }

    void status(String directive, Params.Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        StringBuilder kept = new StringBuilder();
        StringBuilder dropped = new StringBuilder();
        boolean set = true;
        String v = p.value();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '+' || c == '-') {
                set = c == '+';
                if (++i >= v.length()) {
                    break;
                }
                c = v.charAt(i);
            }
            char u = Character.toUpperCase(c);
            if ("INDSEHRC".indexOf(u) >= 0) {
                kept.append(set ? '+' : '-').append(c);
            } else if ("OGUF".indexOf(u) >= 0) {
                dropped.append(c);
            } else {
                throw error(directive, where, "Unknown status parameter option", p);
            }
        }
        if (dropped.length() > 0) {
            report.notImported(where, directive + " " + p, "status letters '" + dropped
                    + "' are httpd's internal states (Init, Gen, Shut, Free)");
        }
        if (kept.length() == 0) {
            return;
        }
        into.put("status", dropped.length() == 0 ? v : kept.toString());
    }

    void buffer(String directive, Params.Param p, ProxyModel.Attributes into, Where where) throws ImportException {
        String key = p.lowerKey();
        long size = HttpdValues.atoi(p.value()).value();
        switch (key) {
            case "iobuffersize" -> {
                if (size < 512 && size != 0) {
                    throw error(directive, where, "IOBufferSize must be >= 512 bytes, or 0 for system default.", p);
                }
            }
            case "receivebuffersize" -> {
                if (size < 512 && size != 0) {
                    throw error(directive, where, "ReceiveBufferSize must be >= 512 bytes, or 0 for system default.", p);
                }
            }
            default -> {
                if (size < 0) {
                    throw error(directive, where, "ResponseFieldSize must be greater than 0 bytes, or 0 for system default.", p);
                }
            }
        }
        if (size > MAX_BUFFER && !key.equals("receivebuffersize")) {
            report.notImported(where, directive + " " + p, "Portico accepts at most " + MAX_BUFFER + "; its default applies");
            return;
        }
        into.put(key, Long.toString(size));
    }

    static ImportException error(String directive, Where where, String message, Params.Param p) {
        return new ImportException(where, directive + ": " + message + " (" + p + ")");
    }
}
