package org.portico.config;

import java.util.Arrays;

/**
 * The decoded text of a descriptor, used to turn the parser's positions into the places a reader looks at.
 *
 * <p>SAX reports an element at the end of its start tag (after the {@code >}), which for a tag written over
 * several lines is neither the line nor the column where the element begins. Since {@code <} cannot occur
 * inside a tag, the tag's start is the last {@code <} before that position, and its attributes can be found
 * by reading the tag from there. Lines and columns are counted as the parser counts them: 1-based, with
 * {@code \r\n}, {@code \r} and {@code \n} each ending a line. Immutable.
 */
final class SourceText {

    private final String file;
    private final String text;
    private final int[] lineStarts;

    SourceText(String file, String text) {
        this.file = file;
        this.text = text;
        int[] starts = new int[16];
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                if (lines == starts.length) {
                    starts = Arrays.copyOf(starts, lines * 2);
                }
                starts[lines++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, lines);
    }

    String file() {
        return file;
    }

    String text() {
        return text;
    }

    /** The position exactly as the parser gave it. */
    SourceLocation at(int line, int column) {
        return line < 1 ? SourceLocation.unknown(file) : new SourceLocation(file, line, column);
    }

    /** Where the tag that the parser had just read when it reported ({@code line}, {@code column}) begins. */
    SourceLocation tagStart(int line, int column) {
        int start = tagStartOffset(line, column);
        return start < 0 ? at(line, column) : location(start);
    }

    /**
     * Where {@code attribute} is written in the tag that the parser had just read at ({@code line},
     * {@code column}); the tag's start when the tag does not carry it.
     */
    SourceLocation attribute(int line, int column, String attribute) {
        int start = tagStartOffset(line, column);
        if (start < 0) {
            return at(line, column);
        }
        int found = attributeOffset(start, attribute);
        return location(found >= 0 ? found : start);
    }

    private int tagStartOffset(int line, int column) {
        if (line < 1 || line > lineStarts.length || column < 1) {
            return -1;
        }
        int offset = Math.min(lineStarts[line - 1] + column - 1, text.length());
        for (int i = offset - 1; i >= 0; i--) {
            if (text.charAt(i) == '<') {
                return i;
            }
        }
        return -1;
    }

    /** Reads the start tag at {@code start} attribute by attribute; -1 when {@code name} is not one of them. */
    private int attributeOffset(int start, String name) {
        int i = start + 1;
        int n = text.length();
        while (i < n && !isSpace(text.charAt(i)) && text.charAt(i) != '>' && text.charAt(i) != '/') {
            i++;
        }
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= n || text.charAt(i) == '>' || text.charAt(i) == '/') {
                return -1;
            }
            int nameStart = i;
            while (i < n && text.charAt(i) != '=' && !isSpace(text.charAt(i)) && text.charAt(i) != '>') {
                i++;
            }
            boolean match = text.substring(nameStart, i).equals(name);
            while (i < n && (isSpace(text.charAt(i)) || text.charAt(i) == '=')) {
                i++;
            }
            if (i >= n || (text.charAt(i) != '"' && text.charAt(i) != '\'')) {
                return match ? nameStart : -1;
            }
            int close = text.indexOf(text.charAt(i), i + 1);
            if (match) {
                return nameStart;
            }
            if (close < 0) {
                return -1;
            }
            i = close + 1;
        }
        return -1;
    }

    private SourceLocation location(int offset) {
        int index = Arrays.binarySearch(lineStarts, offset);
        int line = index >= 0 ? index : -index - 2;
        return new SourceLocation(file, line + 1, offset - lineStarts[line] + 1);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
