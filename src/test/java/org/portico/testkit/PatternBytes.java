package org.portico.testkit;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A deterministic byte stream of any length whose every byte depends on its position, so that a
 * lost, duplicated or reordered chunk changes the digest. Generated on the fly: nothing is held.
 */
public final class PatternBytes extends InputStream {

    private final long length;
    private long position;

    public PatternBytes(long length) {
        this.length = length;
    }

    static byte at(long i) {
        return (byte) (i * 31 + (i >>> 13) + (i >>> 29));
    }

    @Override
    public int read() {
        return position < length ? at(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int k = 0; k < n; k++) {
            b[off + k] = at(position + k);
        }
        position += n;
        return n;
    }

    /** The SHA-256 of the first {@code length} pattern bytes, in hex. */
    public static String sha256(long length) {
        MessageDigest md = sha256();
        byte[] buf = new byte[64 * 1024];
        try (PatternBytes in = new PatternBytes(length)) {
            int n;
            while ((n = in.read(buf, 0, buf.length)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
    }
}
