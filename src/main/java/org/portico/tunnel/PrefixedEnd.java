package org.portico.tunnel;

import java.nio.ByteBuffer;

/** An end whose first read gives the bytes that came after the response head, read with it. */
final class PrefixedEnd implements TunnelEnd {

    private final TunnelEnd end;
    private ByteBuffer prefix;

    PrefixedEnd(ByteBuffer prefix, TunnelEnd end) {
        this.prefix = prefix != null && prefix.hasRemaining() ? prefix : null;
        this.end = end;
    }

    @Override
    public void read(Reads reads) {
        ByteBuffer first = prefix;
        if (first != null) {
            prefix = null;
            reads.data(first);
            return;
        }
        end.read(reads);
    }

    @Override
    public void write(ByteBuffer bytes, Writes writes) {
        end.write(bytes, writes);
    }

    @Override
    public void shutdownOutput() {
        end.shutdownOutput();
    }

    @Override
    public void close() {
        end.close();
    }
}
