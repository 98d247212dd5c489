package org.portico.tunnel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;

/**
 * The backend side of a tunnel: an {@link AsynchronousSocketChannel}, whose completions run on the tunnels'
 * channel group (a few threads for any number of tunnels).
 */
final class ChannelEnd implements TunnelEnd {

    private final AsynchronousSocketChannel channel;
    private final ByteBuffer buffer;

    /** @param bufferSize the read buffer's size */
    ChannelEnd(AsynchronousSocketChannel channel, int bufferSize) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(bufferSize);
    }

    @Override
    public void read(Reads reads) {
        buffer.clear();
        try {
            channel.read(buffer, reads, READ);
        } catch (RuntimeException e) {
            reads.failed(e); // closed meanwhile, or a read pending after a close
        }
    }

    private final CompletionHandler<Integer, Reads> READ = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, Reads reads) {
            if (n < 0) {
                reads.ended();
            } else {
                buffer.flip();
                reads.data(buffer);
            }
        }

        @Override
        public void failed(Throwable cause, Reads reads) {
            reads.failed(cause);
        }
    };

    @Override
    public void write(ByteBuffer bytes, Writes writes) {
        try {
            channel.write(bytes, writes, new CompletionHandler<>() {
                @Override
                public void completed(Integer n, Writes w) {
                    if (bytes.hasRemaining()) {
                        write(bytes, w);
                    } else {
                        w.written();
                    }
                }

                @Override
                public void failed(Throwable cause, Writes w) {
                    w.failed(cause);
                }
            });
        } catch (RuntimeException e) {
            writes.failed(e);
        }
    }

    @Override
    public void shutdownOutput() {
        halfClose(channel);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    /** Half-closes {@code channel}, or closes it when it cannot be half-closed. Shared with {@link TlsEnd}. */
    static void halfClose(AsynchronousSocketChannel channel) {
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
        }
    }

    static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
