package org.portico.backend.ajp;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Reads the container's packets for one request until END_RESPONSE and hands them to the exchange handler:
 * SEND_HEADERS as the response head, SEND_BODY_CHUNK as body within the capacity the handler granted
 * ({@link Credit}: without credit no further packet is read, so the container's writes wait for the client),
 * GET_BODY_CHUNK to the body sender; the body's end is the caller's to pass on. Not thread-safe: the
 * connection's thread.
 */
final class ResponseReader {

    /** Answers a GET_BODY_CHUNK. */
    interface BodyRequests {
        void asked(AjpConnection c, int max) throws IOException;
    }

    private final AjpConnection connection;
    private final AsyncClientExchangeHandler handler;
    private final HttpContext context;
    private final Credit credit;
    private final long timeoutMillis;
    private final boolean headRequest;
    private final BodyRequests bodyRequests;
    private final Runnable headArrived;

    ResponseReader(AjpConnection connection, AsyncClientExchangeHandler handler, HttpContext context, Credit credit,
                   long timeoutMillis, boolean headRequest, BodyRequests bodyRequests, Runnable headArrived) {
        this.connection = connection;
        this.handler = handler;
        this.context = context;
        this.credit = credit;
        this.timeoutMillis = timeoutMillis;
        this.headRequest = headRequest;
        this.bodyRequests = bodyRequests;
        this.headArrived = headArrived;
    }

    private boolean withBody;

    /**
     * Reads up to END_RESPONSE and returns its reuse flag. The end of the body is not handed on here: the caller
     * gives the connection back first, so that the client's next request can have it.
     */
    boolean read() throws IOException {
        boolean headSeen = false;
        boolean withBody = false;
        while (true) {
            int type = connection.readPacket();
            AjpReader r = connection.reader();
            switch (type) {
                case AjpCodes.GET_BODY_CHUNK -> bodyRequests.asked(connection, r.getInt());
                case AjpCodes.SEND_HEADERS -> {
                    if (headSeen) {
                        throw new AjpReader.Malformed("a second SEND_HEADERS");
                    }
                    ResponseHead h = ResponseHead.decode(r, headRequest);
                    headSeen = true;
                    withBody = h.entity() != null;
                    headArrived.run();
                    AjpExchange.callHandler(() -> handler.consumeResponse(h.response(), h.entity(), context));
                    if (withBody) {
                        AjpExchange.callHandler(() -> handler.updateCapacity(credit::grant));
                    }
                }
                case AjpCodes.SEND_BODY_CHUNK -> {
                    if (!headSeen) {
                        throw new AjpReader.Malformed("SEND_BODY_CHUNK before SEND_HEADERS");
                    }
                    int length = r.getInt();
                    if (length > r.remaining()) {
                        throw new AjpReader.Malformed("a body chunk of " + length + " bytes in a packet of " + r.remaining());
                    }
                    if (withBody) {
                        deliver(connection.packet(), r.position(), length);
                    }
                }
                case AjpCodes.END_RESPONSE -> {
                    if (!headSeen) {
                        throw new AjpReader.Malformed("END_RESPONSE before SEND_HEADERS");
                    }
                    this.withBody = withBody;
                    return r.remaining() > 0 && r.getByte() == 1;
                }
                default -> throw new AjpReader.Malformed("packet type " + type + " during a request");
            }
        }
    }

    /** Whether the response had a body, whose end the handler is still to hear of (after {@link #read()}). */
    boolean withBody() {
        return withBody;
    }

    /** Hands {@code length} bytes to the handler, as much at a time as it has granted. */
    private void deliver(byte[] bytes, int offset, int length) throws IOException {
        int off = offset;
        int left = length;
        while (left > 0) {
            int n = credit.take(left, Credit.nanos(timeoutMillis));
            if (n == 0) {
                throw new SocketTimeoutException("the client took no response bytes within " + timeoutMillis + " ms");
            }
            ByteBuffer slice = ByteBuffer.wrap(bytes, off, n);
            AjpExchange.callHandler(() -> handler.consume(slice));
            off += n;
            left -= n;
        }
    }
}
