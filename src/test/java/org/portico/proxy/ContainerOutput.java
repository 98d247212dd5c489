package org.portico.proxy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A servlet container's non-blocking response stream as {@link ResponseBody} sees it, with the rules a
 * container enforces: a write only after {@code isReady()} said true, and {@code onWritePossible} owed
 * once {@code isReady()} said false. A write either completes at once or stays pending until the test
 * completes it, like a container still sending from the caller's array: its bytes are copied only then,
 * so a pump that reuses the array too early is caught.
 */
final class ContainerOutput extends ServletOutputStream {

    private final boolean writesCompleteAtOnce;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private WriteListener listener;
    private byte[] pending;
    private int pendingOffset;
    private int pendingLength;
    private boolean callbackOwed;
    /** isReady() said true since the last write: the only state in which a listener's write is allowed. */
    private boolean writable;
    private boolean failed;
    private int writes;
    private int flushes;
    private IOException nextWriteFails;
    private String misuse;
    /** Run on the writing thread inside the next write, before it is taken (then cleared). */
    volatile Runnable onNextWrite;
    /** Run on the asking thread inside the next isReady(), before it answers (then cleared). */
    volatile Runnable onNextIsReady;
    /** Run on the asking thread inside the next isReady() that answers true, once it has (then cleared). */
    volatile Runnable afterNextReady;

    ContainerOutput(boolean writesCompleteAtOnce) {
        this.writesCompleteAtOnce = writesCompleteAtOnce;
    }

    @Override
    public boolean isReady() {
        Runnable hook = onNextIsReady;
        if (hook != null) {
            onNextIsReady = null;
            hook.run();
        }
        synchronized (this) {
            if (failed || pending != null) {
                callbackOwed = !failed;
                return false;
            }
            writable = true;
        }
        Runnable after = afterNextReady;
        if (after != null) {
            afterNextReady = null;
            after.run();
        }
        return true;
    }

    @Override
    public synchronized void setWriteListener(WriteListener writeListener) {
        if (listener != null) {
            misuse = "setWriteListener called twice";
        }
        listener = writeListener;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Runnable hook = onNextWrite;
        if (hook != null) {
            onNextWrite = null;
            hook.run();
        }
        synchronized (this) {
            if (nextWriteFails != null) {
                IOException e = nextWriteFails;
                nextWriteFails = null;
                failed = true;
                throw e;
            }
            if (listener != null && !writable) {
                misuse = "write without isReady() true since the previous write";
            }
            writable = false;
            writes++;
            if (writesCompleteAtOnce || listener == null) {
                sent.write(b, off, len);
            } else {
                pending = b;
                pendingOffset = off;
                pendingLength = len;
            }
        }
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    /**
     * The container finishes the pending write (copying the bytes from the caller's array now) and, when
     * {@code isReady()} said false meanwhile, calls {@code onWritePossible} on this thread. Returns whether
     * a write was pending.
     */
    boolean completePendingWrite() throws IOException {
        WriteListener owed;
        synchronized (this) {
            if (pending == null) {
                return false;
            }
            sent.write(pending, pendingOffset, pendingLength);
            pending = null;
            owed = callbackOwed ? listener : null;
            callbackOwed = false;
        }
        if (owed != null) {
            owed.onWritePossible();
        }
        return true;
    }

    /** The client goes away: the container reports the error to the listener; nothing is ready any more. */
    void clientGone(Throwable cause) {
        WriteListener l;
        synchronized (this) {
            failed = true;
            l = listener;
        }
        l.onError(cause);
    }

    synchronized void failNextWrite(IOException e) {
        nextWriteFails = e;
    }

    synchronized boolean hasPendingWrite() {
        return pending != null;
    }

    synchronized WriteListener listener() {
        return listener;
    }

    synchronized byte[] sent() {
        return sent.toByteArray();
    }

    synchronized int writes() {
        return writes;
    }

    synchronized int flushes() {
        return flushes;
    }

    /** What the pump did that a container would refuse, or null. */
    synchronized String misuse() {
        return misuse;
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}
