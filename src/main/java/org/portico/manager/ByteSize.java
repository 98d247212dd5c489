package org.portico.manager;

/**
 * Byte counts the way httpd's manager prints them (its {@code apr_strfsize}): four characters, a
 * number and a unit letter, e.g. {@code "  0 "}, {@code "1.2K"}, {@code " 12M"}.
 */
final class ByteSize {

    private static final String UNITS = "KMGTPE";

    private ByteSize() {
    }

    static String format(long size) {
        if (size < 0) {
            return "  - ";
        }
        if (size < 973) {
            return String.format("%3d ", size);
        }
        int unit = 0;
        while (true) {
            long remain = size & 1023;
            size >>= 10;
            if (size >= 973) {
                unit++;
                continue;
            }
            char u = UNITS.charAt(unit);
            if (size < 9 || (size == 9 && remain < 973)) {
                // one decimal: the remainder in tenths, rounded
                long tenths = (remain * 5 + 256) / 512;
                if (tenths >= 10) {
                    size++;
                    tenths = 0;
                }
                return size + "." + tenths + u;
            }
            if (remain >= 512) {
                size++;
            }
            return String.format("%3d%c", size, u);
        }
    }
}
