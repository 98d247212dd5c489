package org.portico.backend.ajp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds expected AJP byte layouts by hand, as the AJPv13 reference draws them: independent of the codec. */
final class AjpBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    AjpBytes b(int... bytes) {
        for (int x : bytes) {
            out.write(x);
        }
        return this;
    }

    AjpBytes i(int v) {
        return b(v >> 8 & 0xFF, v & 0xFF);
    }

    AjpBytes s(String v) {
        if (v == null) {
            return b(0xFF, 0xFF);
        }
        byte[] bytes = v.getBytes(StandardCharsets.ISO_8859_1);
        i(bytes.length);
        out.writeBytes(bytes);
        return b(0);
    }

    byte[] payload() {
        return out.toByteArray();
    }

    /** The payload behind the web server's prefix 0x12 0x34 and its length. */
    byte[] toContainer() {
        byte[] p = payload();
        return new AjpBytes().b(0x12, 0x34).i(p.length).raw(p).payload();
    }

    /** The payload behind the container's prefix 'A' 'B' and its length. */
    byte[] fromContainer() {
        byte[] p = payload();
        return new AjpBytes().b('A', 'B').i(p.length).raw(p).payload();
    }

    AjpBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }
}
