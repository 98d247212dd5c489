package org.portico.backend.ajp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * AJP's CPING/CPONG: the bytes of a CPING and the check of the answer, for the channel's {@code ping} and for
 * {@code hcmethod=CPING} health checks, which run on their own sockets.
 */
public final class Cping {

    /** The CPING packet: prefix, length 1, type 10. */
    static final byte[] REQUEST = {(byte) AjpCodes.TO_CONTAINER_0, (byte) AjpCodes.TO_CONTAINER_1, 0, 1,
            (byte) AjpCodes.CPING};

    private Cping() {
    }

    /** A copy of the CPING packet's bytes. */
    public static byte[] request() {
        return REQUEST.clone();
    }

    /**
     * Reads the container's answer to a CPING from {@code in} (its read timeout bounds the wait).
     *
     * @return null when it is a CPONG, else what it was instead
     */
    public static String checkReply(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] reply = new byte[5];
        d.readFully(reply);
        if (reply[0] != 'A' || reply[1] != 'B') {
            return "not an AJP packet (does the port speak AJP?)";
        }
        if (reply[2] != 0 || reply[3] != 1 || reply[4] != AjpCodes.CPONG_REPLY) {
            return "an AJP packet of type " + (reply[4] & 0xFF) + " where a CPONG (9) was due";
        }
        return null;
    }
}
