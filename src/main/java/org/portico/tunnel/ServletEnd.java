package org.portico.tunnel;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
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
    /** Held around every look at the input stream: see {@link #inputLock(ServletInputStream)}. */
    private volatile Lock inputLock = new ReentrantLock();

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
            inputLock = inputLock(in);
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
        Lock lock = inputLock;
        lock.lock();
        try {
            boolean ready = in.isReady();
            // Undertow calls no onAllDataRead for an end of stream that a read off its I/O thread met: ask for it
            boolean finished = !ready && in.isFinished();
            if (!(ready || finished) || !pendingRead.compareAndSet(r, null)) {
                return; // onDataAvailable, onAllDataRead or onError follows
            }
            n = finished ? -1 : in.read(buffer);
        } catch (IOException | RuntimeException e) {
            if (pendingRead.compareAndSet(r, null)) {
                r.failed(e);
            }
            return;
        } finally {
            lock.unlock();
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

    /**
     * The lock that keeps reads of the tunnel's thread apart from the container's own look at the connection. Tomcat
     * handles an upgraded socket's events holding the socket wrapper's lock, and before each onDataAvailable it
     * checks for data itself (isReadyForRead, which fills the socket's read buffer): an isReady or read from the
     * tunnel's thread at that moment filled the same buffer at once (a BufferOverflowException was logged) and a
     * large message stalled. The Servlet API names no such lock, so Tomcat's is looked up; other containers
     * get one of the tunnel's own, which keeps its two readers (the container's callback and the tunnel's
     * thread) apart.
     */
    private static Lock inputLock(ServletInputStream in) {
        for (Class<?> c = in.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("socketWrapper");
                f.setAccessible(true);
                Object wrapper = f.get(in);
                for (Class<?> w = wrapper.getClass(); w != null; w = w.getSuperclass()) {
                    try {
                        Method getLock = w.getDeclaredMethod("getLock");
                        getLock.setAccessible(true);
                        if (getLock.invoke(wrapper) instanceof Lock tomcats) {
                            return tomcats;
                        }
                    } catch (NoSuchMethodException notHere) {
                        // a superclass declares it
                    }
                }
            } catch (NoSuchFieldException notHere) {
                // a superclass, or not Tomcat
            } catch (ReflectiveOperationException | RuntimeException e) {
                break;
            }
        }
        return new ReentrantLock();
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
            out.write(wholeArray(bytes));
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

    /**
     * The remaining bytes as an array that holds them and nothing else: the buffer's own array when it is that
     * already, else a copy. Undertow's upgraded output (WildFly; UpgradeServletOutputStream up to 2.3 at least)
     * ignores the offset and length of {@code write(byte[], int, int)} in non-blocking mode and sends the whole
     * array, which put stale bytes of the read buffer on the client's connection and broke its WebSocket framing.
     * Every container writes a whole array right, and takes the bytes it could not send at once into its own
     * buffer, so the array is free again when {@code write} returns.
     */
    private static byte[] wholeArray(ByteBuffer bytes) {
        if (bytes.hasArray() && bytes.arrayOffset() + bytes.position() == 0 && bytes.remaining() == bytes.array().length) {
            return bytes.array();
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return copy;
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
