package org.portico.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * The client's request body on its way to the backend (C2P → P2S), streamed through one bounded
 * buffer with backpressure both ways: the servlet input is read only while the buffer has room, and
 * HttpClient is asked to write only while the buffer holds data.
 *
 * <p>The ReadListener is registered only when HttpClient first asks for content, so a forwarded
 * {@code Expect: 100-continue} lets the backend decide when the client may send. Thread-safe: the
 * container's callbacks and the I/O reactor's meet under one lock.
 */
final class RequestBody implements AsyncEntityProducer, ReadListener {

    private final ProxyExchange exchange;
    private final ServletInputStream in;
    private final long contentLength;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer buffer;
    private DataStreamChannel channel;
    private boolean listening;
    private boolean eof;
    private boolean paused;
    private boolean ended;
    private long sent;

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
        lock.lock();
        try {
            int buffered = buffer.position();
            if (buffered > 0) {
                return buffered;
            }
            return !listening || (eof && !ended) ? 1 : 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void produce(DataStreamChannel ch) throws IOException {
        lock.lock();
        try {
            channel = ch;
            if (!listening) {
                listening = true;
                in.setReadListener(this);
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
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- C2P: the container has content

    @Override
    public void onDataAvailable() throws IOException {
        DataStreamChannel ch;
        lock.lock();
        try {
            readAvailable();
            ch = channel;
        } finally {
            lock.unlock();
        }
        if (ch != null) {
            ch.requestOutput();
        }
    }

    @Override
    public void onAllDataRead() {
        DataStreamChannel ch;
        lock.lock();
        try {
            eof = true;
            ch = channel;
        } finally {
            lock.unlock();
        }
        if (ch != null) {
            ch.requestOutput();
        }
    }

    @Override
    public void onError(Throwable t) {
        exchange.clientFailed(t);
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
        }
        if (!eof && in.isFinished()) {
            eof = true;
        }
        paused = !eof && !buffer.hasRemaining();
    }

    /** Whether the whole body went to the backend. */
    boolean complete() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    long sent() {
        lock.lock();
        try {
            return sent;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void failed(Exception cause) {
        // the exchange reports the failure once, from its own failed()
    }

    @Override
    public void releaseResources() {
    }
}
