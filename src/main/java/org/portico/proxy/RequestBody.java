package org.portico.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * The client's request body on its way to the backend (C2P → P2S), streamed through one bounded
 * buffer with backpressure both ways: the servlet input is read only while the buffer has room, and
 * HttpClient is asked to write only while the buffer holds data.
 *
 * <p>The ReadListener is registered only when HttpClient first asks for content, so a forwarded
 * {@code Expect: 100-continue} lets the backend decide when the client may send. Thread-safe: the
 * container's callbacks and the I/O reactor's meet under one {@link HandOffLock}, which the
 * container's threads never wait for.
 */
final class RequestBody implements AsyncEntityProducer, ReadListener {

    private final ProxyExchange exchange;
    private final ServletInputStream in;
    private final long contentLength;
    private final HandOffLock lock = new HandOffLock();
    private final ByteBuffer buffer;
    private volatile DataStreamChannel channel;
    /** Set under the lock when the backend side should be asked for output: bytes or the end arrived. */
    private final AtomicBoolean wake = new AtomicBoolean();
    private volatile boolean listening;
    private boolean eof;
    private boolean paused;
    private volatile boolean ended;
    private volatile long sent;
    /** A container read that failed in work handed off to the reactor, reported from produce(). */
    private IOException failure;

    RequestBody(ProxyExchange exchange, ServletInputStream in, long contentLength, int bufferSize) {
        this.exchange = exchange;
        this.in = in;
        this.contentLength = contentLength;
        int size = contentLength >= 0 && contentLength < bufferSize ? (int) Math.max(contentLength, 1) : bufferSize;
        this.buffer = ByteBuffer.allocate(size);
    }

    // ---------------------------------------------------------------- EntityDetails

    @Override
    public long getContentLength() {
        return contentLength;
    }

    @Override
    public String getContentType() {
        return null; // copied with the other headers, in the client's order
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return contentLength < 0;
    }

    @Override
    public Set<String> getTrailerNames() {
        return null;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    // ---------------------------------------------------------------- P2S: the reactor asks for content

    @Override
    public int available() {
        int available;
        lock.lock();
        try {
            int buffered = buffer.position();
            if (buffered > 0) {
                available = buffered;
            } else {
                available = !listening || (eof && !ended) || failure != null ? 1 : 0;
            }
        } finally {
            leave();
        }
        return available;
    }

    @Override
    public void produce(DataStreamChannel ch) throws IOException {
        boolean register = false;
        lock.lock();
        try {
            channel = ch;
            if (failure != null) {
                throw failure;
            }
            if (!listening) {
                listening = true;
                register = true;
                return;
            }
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    int n = ch.write(buffer);
                    if (n == 0) {
                        break;
                    }
                    sent += n;
                }
            } finally {
                buffer.compact();
            }
            if (eof && buffer.position() == 0 && !ended) {
                ended = true;
                ch.endStream();
                return;
            }
            if (paused && buffer.hasRemaining()) {
                paused = false;
                readAvailable();
                if (buffer.position() > 0 || eof) {
                    ch.requestOutput();
                }
            }
        } finally {
            leave();
            if (register) {
                // outside the lock: the container may call onDataAvailable() at once, on another thread
                in.setReadListener(this);
            }
        }
    }

    // ---------------------------------------------------------------- C2P: the container has content

    @Override
    public void onDataAvailable() throws IOException {
        lock.runOrHandOff(this::readAvailable);
        wakeBackend();
    }

    /**
     * Not taken as the end by itself: Tomcat calls this once the whole body has arrived, even while
     * bytes of it still wait in the servlet stream for us (our buffer was full). Reading on finds the
     * rest and the real end ({@code read() == -1} or {@code isFinished()}).
     */
    @Override
    public void onAllDataRead() throws IOException {
        lock.runOrHandOff(this::readAvailable);
        wakeBackend();
    }

    @Override
    public void onError(Throwable t) {
        exchange.clientFailed(t);
    }

    /** Unlocks; a container read that failed in handed-off work is kept for produce() to report. */
    private void leave() {
        try {
            lock.unlock();
        } catch (IOException e) {
            lock.lock();
            try {
                failure = e;
                wake.set(true);
            } finally {
                try {
                    lock.unlock();
                } catch (IOException also) {
                    e.addSuppressed(also);
                }
            }
        }
        wakeBackend();
    }

    /** Asks HttpClient for a produce() round when bytes or the end arrived; called without the lock. */
    private void wakeBackend() {
        DataStreamChannel ch = channel;
        if (ch != null && wake.getAndSet(false)) {
            ch.requestOutput();
        }
    }

    /**
     * Reads while the buffer has room and the container has bytes. When the buffer fills up we stop
     * without asking isReady(), so the container will not call back: produce() resumes reading.
     */
    private void readAvailable() throws IOException {
        while (!eof && buffer.hasRemaining() && in.isReady()) {
            int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            if (n < 0) {
                eof = true;
            } else {
                buffer.position(buffer.position() + n);
            }
            wake.set(true);
        }
        if (!eof && in.isFinished()) {
            eof = true;
            wake.set(true);
        }
        paused = !eof && !buffer.hasRemaining();
    }

    /** Whether no byte of the client's body has been read yet: another attempt can still send all of it. */
    boolean untouched() {
        return !listening;
    }

    /** Whether the whole body went to the backend. */
    boolean complete() {
        return ended;
    }

    long sent() {
        return sent;
    }

    @Override
    public void failed(Exception cause) {
        // the exchange reports the failure once, from its own failed()
    }

    @Override
    public void releaseResources() {
    }
}
