package org.portico.config;

/**
 * httpd's limits on a client's request head: LimitRequestLine, LimitRequestFieldSize and LimitRequestFields. httpd
 * reads a line of up to one byte more than its limit (the 8190 default lets 8,191 bytes through, measured on 2.4.71),
 * so {@link #longestLine()} and {@link #longestField()} say what passes.
 *
 * @param line LimitRequestLine, in bytes
 * @param fieldSize LimitRequestFieldSize, in bytes
 * @param fields LimitRequestFields: the most header field lines; 0 for no limit
 */
public record HeadLimits(int line, int fieldSize, int fields) {

    /** httpd's defaults. */
    public static final HeadLimits DEFAULTS = new HeadLimits(8190, 8190, 100);

    public HeadLimits {
        if (line < 1 || fieldSize < 1 || fields < 0) {
            throw new IllegalArgumentException("head limits must be positive (fields: 0 for none): " + line + ", "
                    + fieldSize + ", " + fields);
        }
    }

    /** The longest request line, without its CRLF, that passes. */
    public int longestLine() {
        return line + 1;
    }

    /** The longest header field line, without its CRLF, that passes. */
    public int longestField() {
        return fieldSize + 1;
    }
}
