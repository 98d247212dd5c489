package org.portico.tunnel;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The member side of a tunnel over TLS (wss://, or https:// with {@code upgrade}): an {@link SSLEngine} in
 * client mode on an {@link AsynchronousSocketChannel}, without a blocked thread. The read side (unwrap) and the
 * write side (wrap) each have their own buffers, since a tunnel reads and writes an end at the same time;
 * {@link #handshake} runs before either.
 */
final class TlsEnd implements TunnelEnd {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final AsynchronousSocketChannel channel;
    private final SSLEngine engine;
    /** Network bytes not unwrapped yet, in write mode. */
    private ByteBuffer netIn;
    /** Plain bytes unwrapped, handed to a read in read mode. */
    private ByteBuffer appIn;
    private final ByteBuffer netOut;
    /** Plain bytes that the handshake's last unwrap produced, for the first read. */
    private boolean appPending;

    private TlsEnd(AsynchronousSocketChannel channel, SSLEngine engine, ByteBuffer netIn, ByteBuffer appIn) {
        this.channel = channel;
        this.engine = engine;
        this.netIn = netIn;
        this.appIn = appIn;
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.appPending = appIn.position() > 0;
    }

    /** Runs the TLS handshake on {@code channel}, then hands over the end, or the failure. */
    static void handshake(AsynchronousSocketChannel channel, SSLEngine engine, Consumer<TlsEnd> done,
                          Consumer<IOException> failed) {
        new Handshake(channel, engine, done, failed).start();
    }

    private static final class Handshake {
        private final AsynchronousSocketChannel channel;
        private final SSLEngine engine;
        private final Consumer<TlsEnd> done;
        private final Consumer<IOException> failed;
        private ByteBuffer netIn;
        private ByteBuffer appIn;
        private final ByteBuffer netOut;

        Handshake(AsynchronousSocketChannel channel, SSLEngine engine, Consumer<TlsEnd> done, Consumer<IOException> failed) {
            this.channel = channel;
            this.engine = engine;
            this.done = done;
            this.failed = failed;
            int packet = engine.getSession().getPacketBufferSize();
            this.netIn = ByteBuffer.allocate(packet);
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            this.netOut = ByteBuffer.allocate(packet);
        }

        void start() {
            try {
                engine.beginHandshake();
                step();
            } catch (SSLException | RuntimeException e) {
                failed.accept(io(e));
            }
        }

        /** Does what the engine asks for next, until it is done or must wait for the network. */
        private void step() throws SSLException {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> {
                        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                            task.run();
                        }
                    }
                    case NEED_WRAP -> {
                        netOut.clear();
                        SSLEngineResult r = engine.wrap(EMPTY, netOut);
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            failed.accept(new SSLException("the TLS handshake was closed"));
                            return;
                        }
                        netOut.flip();
                        writeAll(channel, netOut, this::resume, failed);
                        return;
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        netIn.flip();
                        SSLEngineResult r = engine.unwrap(netIn, appIn);
                        netIn.compact();
                        switch (r.getStatus()) {
                            case BUFFER_UNDERFLOW -> {
                                netIn = roomIn(netIn, engine.getSession().getPacketBufferSize());
                                channel.read(netIn, null, handler(n -> {
                                    if (n < 0) {
                                        failed.accept(new EOFException("the member closed the connection during the TLS handshake"));
                                    } else {
                                        resume();
                                    }
                                }, failed));
                                return;
                            }
                            case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                            case CLOSED -> {
                                failed.accept(new SSLException("the member closed the TLS handshake"));
                                return;
                            }
                            default -> { }
                        }
                    }
                    default -> { // FINISHED, NOT_HANDSHAKING
                        done.accept(new TlsEnd(channel, engine, netIn, appIn));
                        return;
                    }
                }
            }
        }

        private void resume() {
            try {
                step();
            } catch (SSLException | RuntimeException e) {
                failed.accept(io(e));
            }
        }
    }

    // ---------------------------------------------------------------- reading: unwrap

    @Override
    public void read(Reads reads) {
        if (appPending) {
            appPending = false;
            appIn.flip();
            reads.data(appIn);
            return;
        }
        appIn.clear();
        unwrap(reads);
    }

    private void unwrap(Reads reads) {
        try {
            while (true) {
                netIn.flip();
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                netIn.compact();
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                }
                switch (r.getStatus()) {
                    case OK -> {
                        if (appIn.position() > 0) {
                            appIn.flip();
                            reads.data(appIn);
                            return;
                        }
                        if (r.bytesConsumed() == 0) { // a whole record was a handshake message (a session ticket)
                            readNet(reads);
                            return;
                        }
                    }
                    case BUFFER_UNDERFLOW -> {
                        netIn = roomIn(netIn, engine.getSession().getPacketBufferSize());
                        readNet(reads);
                        return;
                    }
                    case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                    case CLOSED -> {
                        reads.ended(); // close_notify
                        return;
                    }
                }
            }
        } catch (SSLException | RuntimeException e) {
            reads.failed(e);
        }
    }

    private void readNet(Reads reads) {
        try {
            channel.read(netIn, null, handler(n -> {
                if (n < 0) {
                    reads.ended(); // closed without close_notify: the end of the stream all the same
                } else {
                    unwrap(reads);
                }
            }, reads::failed));
        } catch (RuntimeException e) {
            reads.failed(e);
        }
    }

    // ---------------------------------------------------------------- writing: wrap

    @Override
    public void write(ByteBuffer bytes, Writes writes) {
        try {
            netOut.clear();
            SSLEngineResult r = engine.wrap(bytes, netOut);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                writes.failed(new SSLException("TLS wrap: " + r.getStatus()));
                return;
            }
            netOut.flip();
            writeAll(channel, netOut, () -> {
                if (bytes.hasRemaining()) {
                    write(bytes, writes);
                } else {
                    writes.written();
                }
            }, writes::failed);
        } catch (SSLException | RuntimeException e) {
            writes.failed(e);
        }
    }

    @Override
    public void shutdownOutput() {
        // close_notify, then the half-close; called once the other direction's writes to this end are over
        try {
            engine.closeOutbound();
            netOut.clear();
            engine.wrap(EMPTY, netOut);
            netOut.flip();
            writeAll(channel, netOut, () -> ChannelEnd.halfClose(channel), e -> close());
        } catch (SSLException | RuntimeException e) {
            close();
        }
    }

    @Override
    public void close() {
        ChannelEnd.closeQuietly(channel);
    }

    // ---------------------------------------------------------------- helpers

    private static void writeAll(AsynchronousSocketChannel channel, ByteBuffer out, Runnable then,
                                 Consumer<? super IOException> failed) {
        try {
            channel.write(out, null, handler(n -> {
                if (out.hasRemaining()) {
                    writeAll(channel, out, then, failed);
                } else {
                    then.run();
                }
            }, failed));
        } catch (RuntimeException e) {
            failed.accept(io(e));
        }
    }

    private interface IntHandler {
        void completed(int n);
    }

    private static CompletionHandler<Integer, Void> handler(IntHandler completed, Consumer<? super IOException> failed) {
        return new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void a) {
                completed.completed(n);
            }

            @Override
            public void failed(Throwable t, Void a) {
                failed.accept(io(t));
            }
        };
    }

    /** {@code buffer} (write mode) with room for at least {@code size} more bytes. */
    private static ByteBuffer roomIn(ByteBuffer buffer, int size) {
        if (buffer.remaining() >= size) {
            return buffer;
        }
        ByteBuffer bigger = ByteBuffer.allocate(buffer.position() + size);
        buffer.flip();
        return bigger.put(buffer);
    }

    private static ByteBuffer grow(ByteBuffer buffer, int size) {
        ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() + size);
        buffer.flip();
        return bigger.put(buffer);
    }

    private static IOException io(Throwable t) {
        return t instanceof IOException e ? e : new IOException(t.toString(), t);
    }
}
