package org.portico.tunnel;

import java.nio.ByteBuffer;

/**
 * One side of a tunnel (the client's upgraded connection, or the backend's socket), driven without
 * blocking: the caller asks for bytes and is called back when they are there, and hands bytes over and
 * is called back when they are gone. A {@link Pump} has at most one read and one write outstanding on
 * an end, never two of a kind. Callbacks may run on any thread, including the caller's, inside the call.
 */
public interface TunnelEnd {

    /** Hears how one {@link #read} ended: exactly one of its methods is called once. */
    interface Reads {
        /** Bytes arrived; {@code bytes} is the end's own buffer, valid until the next read on this end. */
        void data(ByteBuffer bytes);

        /** The other party closed its side for writing (end of stream). */
        void ended();

        void failed(Throwable cause);
    }

    /** Hears how one {@link #write} ended: exactly one of its methods is called once. */
    interface Writes {
        /** Every byte was handed to the network (or the container's output). */
        void written();

        void failed(Throwable cause);
    }

    void read(Reads reads);

    /** Writes every remaining byte of {@code bytes}; it is not touched after {@link Writes#written}. */
    void write(ByteBuffer bytes, Writes writes);

    /** No more bytes will be written (the far side sees end of stream); reading goes on. Idempotent. */
    void shutdownOutput();

    /** Closes the end both ways; pending callbacks then report a failure or the end. Idempotent. */
    void close();
}
