package org.portico.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.EOFException;
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

    private final BodyOutcome exchange;
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
    /** Bytes read from the client so far: a Content-Length body that ends short of its length failed. */
    private long received;
    /**
     * Set when the client's body failed (a bad chunk, a client gone mid-body) or the exchange was aborted:
     * produce() throws it, so HttpClient drops the backend connection instead of ending the body as if it
     * were complete.
     */
    private IOException failure;

    RequestBody(BodyOutcome exchange, ServletInputStream in, long contentLength, int bufferSize) {
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
                // outside the lock: the container may call onDataAvailable() at once, on another thread or on this
                // one (Tomcat), and a body that fails there may already have ended the exchange
                try {
                    in.setReadListener(this);
                } catch (IllegalStateException e) {
                    // never let a container's refusal escape into HttpClient's reactor, whose thread it would end
                    exchange.clientFailed(ClientSideException.readingBody(e));
                }
            }
        }
    }

    // ---------------------------------------------------------------- C2P: the container has content

    @Override
    public void onDataAvailable() {
        readOnContainerThread();
    }

    /**
     * Not taken as the end by itself: Tomcat calls this once the whole body has arrived, even while
     * bytes of it still wait in the servlet stream for us (our buffer was full). Reading on finds the
     * rest and the real end ({@code read() == -1} or {@code isFinished()}).
     */
    @Override
    public void onAllDataRead() {
        readOnContainerThread();
    }

    /**
     * A read that failed here is the client's failure, reported to the exchange at once (not thrown back to the
     * container, which would only call onError with it); one that failed in work handed off to the reactor is
     * reported from produce().
     */
    private void readOnContainerThread() {
        try {
            lock.runOrHandOff(this::readAvailable);
        } catch (IOException e) {
            exchange.clientFailed(e instanceof ClientSideException c ? c : ClientSideException.readingBody(e));
            return;
        }
        wakeBackend();
    }

    @Override
    public void onError(Throwable t) {
        exchange.clientFailed(ClientSideException.readingBody(t));
    }

    /**
     * Aborts the body towards the backend: HttpClient's next produce() fails, so the backend sees the
     * connection end instead of a complete body. Safe from any thread, never waits.
     */
    void abort(IOException cause) {
        try {
            lock.runOrHandOff(() -> {
                if (failure == null) {
                    failure = cause;
                }
                wake.set(true);
            });
        } catch (IOException also) {
            // the read that failed with it is being reported on its own
        }
        wakeBackend();
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
        if (failure != null) {
            return;
        }
        try {
            while (!eof && buffer.hasRemaining() && in.isReady()) {
                int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    buffer.position(buffer.position() + n);
                    received += n;
                }
                wake.set(true);
            }
            if (!eof && in.isFinished()) {
                eof = true;
                wake.set(true);
            }
        } catch (IOException | RuntimeException e) {
            // a malformed chunk, a client gone mid-body: both containers report them here (or to onError)
            throw keepFailure(e);
        }
        if (eof && contentLength >= 0 && received < contentLength) {
            // a container that took the client's close for the end of the body must not make it look complete
            throw keepFailure(new EOFException("the body ended after " + received + " of " + contentLength + " bytes"));
        }
        paused = !eof && !buffer.hasRemaining();
    }

    /** Keeps the client's failure (under the lock) so that produce() fails the backend exchange with it. */
    private ClientSideException keepFailure(Throwable cause) {
        ClientSideException e = ClientSideException.readingBody(cause);
        if (failure == null) {
            failure = e;
        }
        wake.set(true);
        return e;
    }

    /** Whether no byte of the client's body has been read yet: another attempt can still send all of it. */
    boolean untouched() {
        return !listening;
    }

    /** Whether the whole body went to the backend. */
    boolean fullySent() {
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
