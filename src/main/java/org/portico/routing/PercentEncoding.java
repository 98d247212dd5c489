package org.portico.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding and path re-encoding of request paths, as UTF-8. Stateless. Not {@code URLDecoder} or
 * {@code URI}: they replace malformed UTF-8 with U+FFFD and read '+' as a space, where a path must refuse the former.
 */
final class PercentEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /** The value of hex digit {@code c}, or -1. */
    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** The byte that the escape {@code %XX} at {@code i} stands for, or -1 when there is no valid escape there. */
    static int escapedByteAt(String s, int i) {
        if (i + 2 >= s.length() || s.charAt(i) != '%') {
            return -1;
        }
        int hi = hexValue(s.charAt(i + 1));
        int lo = hexValue(s.charAt(i + 2));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    /**
     * Decodes every {@code %XX} as UTF-8.
     *
     * @return the decoded text, or null when {@code s} has a malformed escape or the bytes are not UTF-8
     */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                int b = escapedByteAt(s, i);
                if (b < 0) {
                    return null;
                }
                bytes.write(b);
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Encodes decoded text for use inside a URL path: everything but unreserved characters, sub-delims,
     * ':', '@' and '/' becomes {@code %XX} of its UTF-8 bytes.
     */
    static String encodePath(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            appendCanonical(out, b & 0xFF);
        }
        return out.toString();
    }

    /**
     * httpd's canonical form of a raw path (mod_proxy_http's {@code ap_proxy_canonenc} on the decoded remainder):
     * every escape is decoded and every byte re-encoded, so unreserved characters and sub-delims appear as
     * themselves ({@code %7E} becomes {@code ~}), everything else as upper-case {@code %XX} ({@code %c3%a9}
     * becomes {@code %C3%A9}, a raw {@code é} too, {@code %3F} and {@code %25} stay escaped). An encoded
     * slash stays {@code %2F}: it is data, not a separator (AllowEncodedSlashes NoDecode).
     *
     * <p>A {@code %} that starts no valid escape is taken as a literal {@code %} ({@code %25}), as the mapper
     * takes such paths literally everywhere (containers refuse most of them before Portico sees them).
     */
    static String canonicalPath(String raw) {
        StringBuilder out = new StringBuilder(raw.length() + 8);
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                int b = escapedByteAt(raw, i);
                if (b < 0) {
                    appendCanonical(out, '%');
                    i++;
                    continue;
                }
                if (b == '/') {
                    out.append("%2F");
                } else {
                    appendCanonical(out, b);
                }
                i += 3;
            } else if (c < 0x80) {
                appendCanonical(out, c);
                i++;
            } else {
                int cp = raw.codePointAt(i);
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    appendCanonical(out, b & 0xFF);
                }
                i += Character.charCount(cp);
            }
        }
        return out.toString();
    }

    private static void appendCanonical(StringBuilder out, int b) {
        if (allowedInPath(b)) {
            out.append((char) b);
        } else {
            out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
        }
    }

    private static boolean allowedInPath(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }
}
