package org.portico.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * A request body that {@link BodyPrefetch} began to read: its bytes first, then (unless the body ended within
 * them) the rest from the client's stream, whose container callbacks the prefetch hands on to the listener
 * set here. To the body's reader it behaves as a servlet stream: it reads while {@link #isReady()} says so
 * and is called back when more arrives. Thread-safety: as a servlet stream, read by one thread at a time.
 */
final class PrefetchedInput extends ServletInputStream {

    /** Shared with the prefetch and every other attempt's stream, and never written: no copy per attempt. */
    private final byte[] prefix;
    private final int length;
    private int position;
    /** The rest of the client's body, or null when the prefix is all of it. */
    private final ServletInputStream rest;
    private volatile ReadListener listener;
    /** An error that came before the listener; guarded by this. */
    private Throwable pendingError;

    PrefetchedInput(byte[] prefix, ServletInputStream rest) {
        this(prefix, prefix.length, rest);
    }

    PrefetchedInput(byte[] prefix, int length, ServletInputStream rest) {
        this.prefix = prefix;
        this.length = length;
        this.rest = rest;
    }

    @Override
    public boolean isReady() {
        return position < length || rest == null || rest.isReady();
    }

    @Override
    public boolean isFinished() {
        return position >= length && (rest == null || rest.isFinished());
    }

    @Override
    public int read() throws IOException {
        if (position < length) {
            return prefix[position++] & 0xff;
        }
        return rest == null ? -1 : rest.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position < length) {
            int n = Math.min(len, length - position);
            System.arraycopy(prefix, position, b, off, n);
            position += n;
            return n;
        }
        return rest == null ? -1 : rest.read(b, off, len);
    }

    /** Takes the reader's listener and calls it at once: the prefix is there to read. */
    @Override
    public void setReadListener(ReadListener l) {
        if (listener != null) {
            throw new IllegalStateException("a read listener is already set");
        }
        Throwable e;
        synchronized (this) {
            listener = l;
            e = pendingError;
        }
        try {
            if (e != null) {
                l.onError(e);
            } else {
                l.onDataAvailable();
            }
        } catch (IOException | RuntimeException failure) {
            l.onError(failure);
        }
    }

    void dataAvailable() throws IOException {
        ReadListener l = listener;
        if (l != null) {
            l.onDataAvailable();
        }
    }

    void allDataRead() throws IOException {
        ReadListener l = listener;
        if (l != null) {
            l.onAllDataRead();
        }
    }

    void error(Throwable t) {
        ReadListener l;
        synchronized (this) {
            l = listener;
            if (l == null) {
                pendingError = t; // setReadListener passes it on
                return;
            }
        }
        l.onError(t);
    }
}
