package org.portico.tunnel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TunnelEnd} whose reads deliver scripted chunks and whose callbacks run where a test says: inside the
 * call (as an end that completes at once), on an executor (another thread), or only when the test calls
 * {@link #completeRead}/{@link #completeWrite} (to force an interleaving). It counts outstanding operations, so a
 * test sees that a pump never has two of a kind in flight.
 */
final class ScriptedEnd implements TunnelEnd {

    enum Mode { IMMEDIATE, EXECUTOR, MANUAL }

    private final Deque<byte[]> chunks = new ArrayDeque<>();
    private final Mode readMode;
    private final Mode writeMode;
    private final Executor executor;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final AtomicInteger readsInFlight = new AtomicInteger();
    private final AtomicInteger writesInFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile boolean ended;
    private volatile Reads pendingRead;
    private volatile Writes pendingWrite;
    volatile boolean outputShut;
    volatile boolean closed;
    final AtomicInteger reads = new AtomicInteger();

    ScriptedEnd(Mode readMode, Mode writeMode, Executor executor) {
        this.readMode = readMode;
        this.writeMode = writeMode;
        this.executor = executor;
    }

    /** Bytes the next reads deliver, one chunk per read; then the end of stream. */
    synchronized ScriptedEnd chunks(byte[]... data) {
        for (byte[] d : data) {
            chunks.add(d);
        }
        return this;
    }

    @Override
    public void read(Reads r) {
        reads.incrementAndGet();
        track(readsInFlight.incrementAndGet());
        pendingRead = r;
        switch (readMode) {
            case IMMEDIATE -> completeRead();
            case EXECUTOR -> executor.execute(this::completeRead);
            case MANUAL -> { }
        }
    }

    /** Completes the outstanding read: the next chunk, or the end when none is left. */
    void completeRead() {
        Reads r = pendingRead;
        pendingRead = null;
        byte[] next;
        synchronized (this) {
            next = chunks.poll();
        }
        readsInFlight.decrementAndGet();
        if (next == null) {
            ended = true;
            r.ended();
        } else {
            r.data(ByteBuffer.wrap(next));
        }
    }

    /** Fails the outstanding read. */
    void failRead(Throwable cause) {
        Reads r = pendingRead;
        pendingRead = null;
        readsInFlight.decrementAndGet();
        r.failed(cause);
    }

    @Override
    public void write(ByteBuffer bytes, Writes w) {
        track(writesInFlight.incrementAndGet());
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        synchronized (written) {
            written.writeBytes(b);
        }
        pendingWrite = w;
        switch (writeMode) {
            case IMMEDIATE -> completeWrite();
            case EXECUTOR -> executor.execute(this::completeWrite);
            case MANUAL -> { }
        }
    }

    void completeWrite() {
        Writes w = pendingWrite;
        pendingWrite = null;
        writesInFlight.decrementAndGet();
        w.written();
    }

    void failWrite(Throwable cause) {
        Writes w = pendingWrite;
        pendingWrite = null;
        writesInFlight.decrementAndGet();
        w.failed(cause);
    }

    private void track(int inFlight) {
        maxInFlight.accumulateAndGet(inFlight, Math::max);
    }

    boolean readPending() {
        return pendingRead != null;
    }

    boolean writePending() {
        return pendingWrite != null;
    }

    /** The most reads, or writes, ever outstanding at once. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    byte[] written() {
        synchronized (written) {
            return written.toByteArray();
        }
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
