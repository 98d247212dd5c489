package org.portico.tunnel.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.portico.tunnel.TunnelEnd;

/**
 * The client side of a tunnel on Jetty: a Jetty connection that takes the endpoint over from the HTTP/1.1
 * connection after the 101, reading with fill interest (no thread while idle) and writing with Jetty's
 * callbacks. Bytes the client sent past the upgrade request arrive through {@link #onUpgradeTo} and are the
 * first read. The idle timeout is the tunnel's own (the worker's), so Jetty's endpoint timeout is ignored.
 */
final class JettyEnd extends AbstractConnection implements TunnelEnd, Connection.UpgradeTo {

    private final Consumer<TunnelEnd> opened;
    private final ByteBuffer buffer;
    private final AtomicReference<Reads> pendingRead = new AtomicReference<>();
    private volatile ByteBuffer prefilled;

    JettyEnd(EndPoint endPoint, Executor executor, int bufferSize, Consumer<TunnelEnd> opened) {
        super(endPoint, executor);
        this.opened = opened;
        this.buffer = BufferUtil.allocate(bufferSize);
    }

    @Override
    public void onUpgradeTo(ByteBuffer bytes) {
        if (BufferUtil.hasContent(bytes)) {
            ByteBuffer copy = BufferUtil.allocate(bytes.remaining());
            BufferUtil.append(copy, bytes);
            prefilled = copy;
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        // the tunnel's timer decides when an idle tunnel closes
        getEndPoint().setIdleTimeout(0);
        opened.accept(this);
    }

    @Override
    public void read(Reads reads) {
        ByteBuffer first = prefilled;
        if (first != null) {
            prefilled = null;
            reads.data(first);
            return;
        }
        int n;
        try {
            BufferUtil.clear(buffer);
            n = getEndPoint().fill(buffer);
        } catch (IOException | RuntimeException e) {
            reads.failed(e);
            return;
        }
        if (n > 0) {
            reads.data(buffer);
        } else if (n < 0) {
            reads.ended();
        } else {
            pendingRead.set(reads);
            fillInterested();
        }
    }

    @Override
    public void onFillable() {
        Reads r = pendingRead.getAndSet(null);
        if (r != null) {
            read(r);
        }
    }

    @Override
    protected void onFillInterestedFailed(Throwable cause) {
        Reads r = pendingRead.getAndSet(null);
        if (r != null) {
            r.failed(cause);
        }
    }

    @Override
    protected boolean onReadTimeout(TimeoutException timeout) {
        return false;
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        return false;
    }

    @Override
    public void write(ByteBuffer bytes, Writes writes) {
        getEndPoint().write(Callback.from(writes::written, writes::failed), bytes);
    }

    @Override
    public void shutdownOutput() {
        getEndPoint().shutdownOutput();
    }

    @Override
    public void close() {
        getEndPoint().close();
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        onFillInterestedFailed(cause != null ? cause : new IOException("the client's connection closed"));
    }
}
