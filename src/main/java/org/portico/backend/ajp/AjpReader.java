package org.portico.backend.ajp;

import java.nio.charset.StandardCharsets;

/** Reads the fields of one packet's payload from the container, in order. Not thread-safe. */
final class AjpReader {

    /** The container sent what AJP does not allow here. */
    static final class Malformed extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String what) {
            super("malformed AJP packet from the container: " + what);
        }
    }

    private final byte[] buf;
    private int pos;
    private final int end;

    AjpReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    int getByte() throws Malformed {
        need(1);
        return buf[pos++] & 0xFF;
    }

    int getInt() throws Malformed {
        need(2);
        int i = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return i;
    }

    /** A string (Latin-1, as Tomcat writes header values), or null for the length 0xFFFF. */
    String getString() throws Malformed {
        int len = getInt();
        return len == 0xFFFF ? null : stringOf(len);
    }

    /** A response header's name: coded (0xA0nn) or a string. */
    String getHeaderName() throws Malformed {
        need(2);
        if ((buf[pos] & 0xFF) == 0xA0) {
            int code = getInt();
            String name = AjpCodes.responseHeaderName(code);
            if (name == null) {
                throw new Malformed("unknown coded response header 0x" + Integer.toHexString(code));
            }
            return name;
        }
        return getString();
    }

    private String stringOf(int len) throws Malformed {
        need(len + 1);
        String s = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
        pos += len + 1; // and the terminating 0
        return s;
    }

    /** The position of the next unread byte in the array given. */
    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n) throws Malformed {
        if (pos + n > end) {
            throw new Malformed("a field runs past the packet's end");
        }
    }
}
