package org.portico.backend.ajp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * Sends the request body in AJP's body packets, one per call of {@link #send}: the first one unasked when the
 * body's length is known, each later one when the container asks (GET_BODY_CHUNK), an empty one for the end.
 * It is the exchange's {@link DataStreamChannel}: the exchange writes into the packet being filled, never more
 * than it has room for, and calls {@code requestOutput()} from a container thread when the client has sent
 * more; the connection's thread waits for that ({@link Wakeup}). So the client's body is read only as fast as
 * the container asks for it, 8 KiB at a time. One exchange's; {@code requestOutput} is the only call from
 * another thread.
 */
final class BodySender implements DataStreamChannel {

    /** The client sent no body bytes within the worker's timeout (httpd answers 400 when reading the body fails). */
    static final class ClientTimeout extends IOException {
        private static final long serialVersionUID = 1L;

        ClientTimeout(long millis) {
            super("no request body bytes from the client within " + millis + " ms");
        }
    }

    private static final int DATA = AjpCodes.HEADER + 2;

    private final AsyncClientExchangeHandler handler;
    private final Wakeup more;
    private final long timeoutMillis;
    private final byte[] packet;
    private int filled;
    private int limit;
    private boolean ended;
    private long sent;

    BodySender(AsyncClientExchangeHandler handler, Wakeup more, long timeoutMillis, int packetSize) {
        this.packet = new byte[packetSize];
        this.handler = handler;
        this.more = more;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Fills one packet with up to {@code max} body bytes (waiting for the client as long as it has none and
     * has not ended) and sends it; an empty packet once the body has ended.
     *
     * @return the body bytes sent in this packet
     */
    int send(AjpConnection connection, int max) throws IOException {
        filled = 0;
        limit = Math.max(0, Math.min(max, maxData()));
        boolean asked = true; // the first produce() lets the exchange start listening to the client
        while (!ended && limit > 0) {
            if (asked || handler.available() > 0) {
                handler.produce(this);
                if (filled > 0) {
                    break;
                }
                if (ended) {
                    break;
                }
            }
            asked = more.await(Credit.nanos(timeoutMillis));
            if (!asked) {
                throw new ClientTimeout(timeoutMillis);
            }
        }
        packet[0] = (byte) AjpCodes.TO_CONTAINER_0;
        packet[1] = (byte) AjpCodes.TO_CONTAINER_1;
        if (filled == 0) {
            packet[2] = 0;
            packet[3] = 0;
            connection.write(packet, AjpCodes.HEADER);
            return 0;
        }
        int payload = filled + 2;
        packet[2] = (byte) (payload >>> 8);
        packet[3] = (byte) payload;
        packet[4] = (byte) (filled >>> 8);
        packet[5] = (byte) filled;
        connection.write(packet, DATA + filled);
        sent += filled;
        return filled;
    }

    /** The most body bytes one packet carries. */
    int maxData() {
        return packet.length - DATA;
    }

    /** Body bytes sent so far. */
    long sent() {
        return sent;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void requestOutput() {
        more.signal();
    }

    @Override
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), limit - filled);
        if (n > 0) {
            src.get(packet, DATA + filled, n);
            filled += n;
        }
        return n;
    }

    @Override
    public void endStream() {
        ended = true;
    }

    @Override
    public void endStream(List<? extends Header> trailers) {
        ended = true; // AJP has no request trailers
    }
}
