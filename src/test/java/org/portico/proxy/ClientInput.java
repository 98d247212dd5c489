package org.portico.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * A servlet container's non-blocking request stream as {@link RequestBody} sees it, fed by the test as
 * a client would send: a read only after {@code isReady()} said true, and {@code onDataAvailable} (or
 * {@code onAllDataRead} at the end) owed once {@code isReady()} said false. Callbacks run on the thread
 * that sends, as a container's I/O thread would run them, and the first one inside setReadListener when
 * bytes are there already (as Tomcat does).
 */
final class ClientInput extends ServletInputStream {

    private final ArrayDeque<byte[]> arrived = new ArrayDeque<>();
    private int headOffset;
    private boolean ended;
    private boolean readable;
    private boolean callbackOwed;
    private ReadListener listener;
    private RuntimeException refuseListener;
    private String misuse;

    @Override
    public synchronized boolean isFinished() {
        return ended && arrived.isEmpty();
    }

    @Override
    public synchronized boolean isReady() {
        if (!arrived.isEmpty() || ended) {
            readable = true;
            return true;
        }
        callbackOwed = true;
        return false;
    }

    /** As Tomcat may: the first onDataAvailable comes at once, on this thread, when something is there to read. */
    @Override
    public void setReadListener(ReadListener readListener) {
        ReadListener now;
        synchronized (this) {
            if (refuseListener != null) {
                throw refuseListener;
            }
            if (listener != null) {
                misuse = "setReadListener called twice";
            }
            listener = readListener;
            callbackOwed = true;
            now = !arrived.isEmpty() || ended ? takeOwed() : null;
        }
        if (now != null) {
            try {
                now.onDataAvailable();
            } catch (IOException e) {
                now.onError(e);
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
        if (!readable) {
            misuse = "read without isReady() true";
        }
        readable = false;
        byte[] head = arrived.peek();
        if (head == null) {
            return ended ? -1 : 0;
        }
        int n = Math.min(len, head.length - headOffset);
        System.arraycopy(head, headOffset, b, off, n);
        headOffset += n;
        if (headOffset == head.length) {
            arrived.poll();
            headOffset = 0;
        }
        return n;
    }

    /** The client sends {@code bytes}; a callback owed is made on this thread. */
    void send(byte[] bytes) {
        ReadListener owed;
        synchronized (this) {
            arrived.add(bytes);
            owed = takeOwed();
        }
        if (owed != null) {
            try {
                owed.onDataAvailable();
            } catch (IOException e) {
                owed.onError(e);
            }
        }
    }

    /** The client's body is complete; a callback owed is made on this thread. */
    void end() {
        ReadListener owed;
        synchronized (this) {
            ended = true;
            owed = takeOwed();
        }
        if (owed != null) {
            try {
                owed.onAllDataRead();
            } catch (IOException e) {
                owed.onError(e);
            }
        }
    }

    /** The container has a listener and data or the end since the listener was last told. */
    private ReadListener takeOwed() {
        if (listener == null || !callbackOwed) {
            return null;
        }
        callbackOwed = false;
        return listener;
    }

    synchronized void refuseListener(RuntimeException e) {
        refuseListener = e;
    }

    synchronized ReadListener listener() {
        return listener;
    }

    /** Bytes the client sent that nobody has read yet. */
    synchronized int unread() {
        int n = -headOffset;
        for (byte[] b : arrived) {
            n += b.length;
        }
        return n;
    }

    synchronized boolean callbackOwed() {
        return callbackOwed;
    }

    synchronized String misuse() {
        return misuse;
    }
}
