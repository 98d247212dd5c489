package org.portico.tunnel;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The client side of a tunnel in a container that implements the Servlet API's upgrade: the upgraded
 * connection's streams in non-blocking mode (a read is asked for with {@code isReady}, and the container
 * calls back {@code onDataAvailable}; a write that did not complete at once is reported by
 * {@code onWritePossible}). Made by the container, which needs the public no-argument constructor.
 */
public final class ServletEnd implements HttpUpgradeHandler, TunnelEnd, ReadListener, WriteListener {

    private volatile int bufferSize = 16 * 1024;
    private volatile Consumer<TunnelEnd> opened;
    private volatile WebConnection connection;
    private volatile ServletInputStream in;
    private volatile ServletOutputStream out;
    private volatile byte[] buffer;
    private final AtomicReference<Reads> pendingRead = new AtomicReference<>();
    private final AtomicReference<Writes> pendingWrite = new AtomicReference<>();
    private volatile boolean inputEnded;
    private final AtomicBoolean closed = new AtomicBoolean();

    public ServletEnd() {
    }

    /** Called on the service thread right after {@code upgrade}, before the container calls {@link #init}. */
    void prepare(int size, Consumer<TunnelEnd> whenOpen) {
        this.bufferSize = size;
        this.opened = whenOpen;
    }

    @Override
    public void init(WebConnection wc) {
        connection = wc;
        buffer = new byte[bufferSize];
        try {
            in = wc.getInputStream();
            out = wc.getOutputStream();
            in.setReadListener(this);
            out.setWriteListener(this);
        } catch (IOException | RuntimeException e) {
            close();
            return;
        }
        Consumer<TunnelEnd> o = opened;
        if (o != null) {
            o.accept(this);
        } else {
            close();
        }
    }

    // ---------------------------------------------------------------- reading (C2P)

    @Override
    public void read(Reads reads) {
        pendingRead.set(reads);
        readIfReady();
    }

    private void readIfReady() {
        Reads r = pendingRead.get();
        if (r == null) {
            return;
        }
        if (inputEnded) {
            if (pendingRead.compareAndSet(r, null)) {
                r.ended();
            }
            return;
        }
        int n;
        try {
            if (!in.isReady() || !pendingRead.compareAndSet(r, null)) {
                return; // onDataAvailable, onAllDataRead or onError follows
            }
            n = in.read(buffer);
        } catch (IOException | RuntimeException e) {
            if (pendingRead.compareAndSet(r, null)) {
                r.failed(e);
            }
            return;
        }
        if (n < 0) {
            inputEnded = true;
            r.ended();
        } else if (n == 0) {
            read(r);
        } else {
            r.data(ByteBuffer.wrap(buffer, 0, n));
        }
    }

    @Override
    public void onDataAvailable() {
        readIfReady();
    }

    @Override
    public void onAllDataRead() {
        inputEnded = true;
        readIfReady();
    }

    // ---------------------------------------------------------------- writing (P2C)

    @Override
    public void write(ByteBuffer bytes, Writes writes) {
        try {
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            bytes.position(bytes.limit());
            // after the write, never before: an onWritePossible that comes before it must not report it done
            pendingWrite.set(writes);
            if (out.isReady()) {
                out.flush();
                if (out.isReady() && pendingWrite.compareAndSet(writes, null)) {
                    writes.written();
                }
            }
        } catch (IOException | RuntimeException e) {
            pendingWrite.set(null);
            writes.failed(e);
        }
    }

    @Override
    public void onWritePossible() {
        Writes w = pendingWrite.getAndSet(null);
        if (w != null) {
            w.written();
        }
    }

    // ---------------------------------------------------------------- ends

    @Override
    public void onError(Throwable t) {
        failPending(t);
        close();
    }

    private void failPending(Throwable t) {
        Reads r = pendingRead.getAndSet(null);
        if (r != null) {
            r.failed(t);
        }
        Writes w = pendingWrite.getAndSet(null);
        if (w != null) {
            w.failed(t);
        }
    }

    @Override
    public void shutdownOutput() {
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        WebConnection wc = connection;
        try {
            if (wc != null) {
                wc.close();
            }
        } catch (Exception e) {
            // the container closes it anyway
        }
        failPending(new IOException("the client's connection closed"));
    }

    @Override
    public void destroy() {
        // the container ended the connection (client gone, shutdown): the tunnel closes with it
        failPending(new IOException("the client's connection ended"));
    }
}
