package org.portico.backend.ajp;

import java.nio.charset.StandardCharsets;

/**
 * One packet to the container, written field by field (AJP's byte, int, string and boolean) into a buffer of
 * the worker's packet size; {@link #finish()} writes the prefix and length. Not thread-safe: one exchange's.
 */
final class AjpMessage {

    /** The packet would not fit in the worker's packet size (httpd: AJP_EOVERFLOW). */
    static final class Overflow extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        Overflow(int size, String what) {
            super("the AJP request packet overflows " + size + " bytes at " + what
                    + " (iobuffersize sets the packet size, up to " + AjpCodes.LARGEST_PACKET
                    + ", as ProxyIOBufferSize does in httpd)");
        }
    }

    private final byte[] buf;
    private int pos = AjpCodes.HEADER;
    private String field = "the start";

    AjpMessage(int size) {
        this.buf = new byte[size];
    }

    /** Names what the next values are, for the overflow message. */
    AjpMessage field(String what) {
        this.field = what;
        return this;
    }

    AjpMessage putByte(int b) throws Overflow {
        room(1);
        buf[pos++] = (byte) b;
        return this;
    }

    AjpMessage putInt(int i) throws Overflow {
        room(2);
        buf[pos++] = (byte) (i >>> 8);
        buf[pos++] = (byte) i;
        return this;
    }

    AjpMessage putBoolean(boolean b) throws Overflow {
        return putByte(b ? 1 : 0);
    }

    /**
     * A string: its length in two bytes, its bytes and a terminating 0; null is the length 0xFFFF alone.
     * Latin-1 when every character fits (what Tomcat decodes header values as), else UTF-8.
     */
    AjpMessage putString(String s) throws Overflow {
        if (s == null) {
            return putInt(0xFFFF);
        }
        byte[] b = s.getBytes(latin1(s) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        putInt(b.length);
        room(b.length + 1);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        buf[pos++] = 0;
        return this;
    }

    private static boolean latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private void room(int n) throws Overflow {
        if (pos + n > buf.length) {
            throw new Overflow(buf.length, field);
        }
    }

    /** Writes prefix and payload length; returns the packet's length on the wire. */
    int finish() {
        int payload = pos - AjpCodes.HEADER;
        buf[0] = (byte) AjpCodes.TO_CONTAINER_0;
        buf[1] = (byte) AjpCodes.TO_CONTAINER_1;
        buf[2] = (byte) (payload >>> 8);
        buf[3] = (byte) payload;
        return pos;
    }

    byte[] bytes() {
        return buf;
    }

    /** The packet's bytes on the wire (after {@link #finish()}), copied: for tests and logs. */
    byte[] toArray() {
        byte[] out = new byte[pos];
        System.arraycopy(buf, 0, out, 0, pos);
        return out;
    }
}
