package org.portico.proxy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.nio.CapacityChannel;

/**
 * The backend's response body on its way to the client (S2P → P2C) with backpressure: HttpClient is
 * granted credit only for bytes the container has accepted, so a slow client holds the backend back
 * instead of filling the heap. At most one window ({@link BackendReactors#WINDOW}) plus one read is queued.
 *
 * <p>A chunk handed to the container stays ours until {@code isReady()} says the write finished: in
 * non-blocking mode a container may still be sending from our array. Thread-safe under one
 * {@link HandOffLock}, which the container's threads never wait for.
 */
final class ResponseBody implements WriteListener {

    /** One backend read: each is handed to the container in one write. */
    private static final int CHUNK = BackendReactors.MIN_BUFFER;

    private final ProxyExchange exchange;
    private final HttpServletResponse p2c;
    private final ServletOutputStream out;
    private final boolean oneShot;
    /** The WriteListener is set: from here on, writes are non-blocking and driven by drain(). */
    private boolean streaming;
    private final long expectedLength;
    private final HandOffLock lock = new HandOffLock();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>(2);
    private final int chunkSize;
    private Chunk inFlight;
    private volatile CapacityChannel capacity;
    private int uncredited;
    private volatile long received;
    private boolean upstreamEnded;
    private boolean unflushed;
    /** No more writes: the body was delivered, abandoned, or the client failed. */
    private final AtomicBoolean done = new AtomicBoolean();

    private static final class Chunk {
        final byte[] bytes;
        int length;

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /**
     * @param oneShot the announced length is small enough for the container's buffer; the caller then left
     *                Content-Length unset, so that one write only fills that buffer and cannot block
     */
    ResponseBody(ProxyExchange exchange, HttpServletResponse p2c, long expectedLength, boolean oneShot) throws IOException {
        this.exchange = exchange;
        this.p2c = p2c;
        this.out = p2c.getOutputStream();
        this.expectedLength = expectedLength;
        this.oneShot = oneShot;
        this.chunkSize = expectedLength >= 0 && expectedLength < CHUNK ? (int) Math.max(expectedLength, 64) : CHUNK;
    }

    /** Called once, right after the response head was copied. */
    void start() {
        if (!oneShot) {
            lock.lock();
            try {
                startStreaming();
            } finally {
                unlockQuietly();
            }
        }
    }

    private void startStreaming() {
        if (oneShot) {
            p2c.setContentLengthLong(expectedLength);
        }
        streaming = true;
        out.setWriteListener(this);
    }

    /**
     * A small body that arrived whole goes out in one write into the container's buffer, sent on
     * complete(): no WriteListener dispatch for the common small response.
     */
    private boolean writeWhole(ByteBuffer src) throws IOException {
        if (streaming || !oneShot || received != 0 || src.remaining() != expectedLength) {
            return false;
        }
        byte[] whole = new byte[src.remaining()];
        src.get(whole);
        received = whole.length;
        try {
            out.write(whole);
        } catch (IOException e) {
            done.set(true);
            throw ClientSideException.writingResponse(e);
        }
        done.set(true);
        return true;
    }

    private void unlockQuietly() {
        try {
            lock.unlock();
        } catch (IOException e) {
            exchange.clientFailed(e instanceof ClientSideException c ? c : ClientSideException.writingResponse(e));
        }
    }

    void updateCapacity(CapacityChannel cc) throws IOException {
        lock.lock();
        try {
            capacity = cc;
            if (uncredited > 0) {
                int n = uncredited;
                uncredited = 0;
                cc.update(n);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes all of {@code src}: HttpClient may deliver a little over the granted window. */
    void consume(ByteBuffer src) throws IOException {
        boolean whole = false;
        lock.lock();
        try {
            if (done.get()) {
                src.position(src.limit());
                return;
            }
            whole = writeWhole(src);
            if (!whole) {
                append(src);
            }
        } finally {
            lock.unlock();
        }
        if (whole) {
            exchange.responseComplete();
        }
    }

    private void append(ByteBuffer src) throws IOException {
        if (!streaming) {
            startStreaming();
        }
        received += src.remaining();
        while (src.hasRemaining()) {
            Chunk tail = queue.peekLast();
            if (tail == null || tail.length == tail.bytes.length) {
                tail = new Chunk(spare.isEmpty() ? new byte[chunkSize] : spare.poll());
                queue.add(tail);
            }
            int n = Math.min(src.remaining(), tail.bytes.length - tail.length);
            src.get(tail.bytes, tail.length, n);
            tail.length += n;
        }
        if (expectedLength >= 0 && received >= expectedLength) {
            // all announced bytes are here: skip the flush, complete() will send them
            upstreamEnded = true;
        }
        drain();
    }

    void streamEnd() throws IOException {
        boolean empty = false;
        lock.lock();
        try {
            if (!streaming && !done.get()) {
                // no content at all: nothing to write, the container completes an empty body
                empty = done.compareAndSet(false, true);
            } else {
                upstreamEnded = true;
                drain();
            }
        } finally {
            lock.unlock();
        }
        if (empty) {
            exchange.responseComplete();
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        lock.runOrHandOff(this::drain);
    }

    @Override
    public void onError(Throwable t) {
        done.set(true);
        exchange.clientFailed(ClientSideException.writingResponse(t));
    }

    /**
     * After the client failed: grants HttpClient room to read on, so that the next bytes the backend sends
     * find the exchange aborted and the connection is dropped, instead of idling until the socket timeout.
     */
    void unblockBackend() {
        CapacityChannel cc = capacity;
        if (cc != null) {
            try {
                cc.update(Integer.MAX_VALUE);
            } catch (IOException e) {
                // the backend connection is failing already
            }
        }
    }

    /**
     * Stops writing; later content is dropped. Returns whether the body had already finished. Takes the
     * lock (reactor only), so no write is in progress when the caller goes on to answer instead.
     */
    boolean abandon() {
        if (done.get()) {
            return true;
        }
        boolean wasDone;
        lock.lock();
        try {
            wasDone = done.getAndSet(true);
        } finally {
            try {
                lock.unlock();
            } catch (IOException e) {
                // handed-off writes end at once once abandoned; nothing of theirs matters any more
            }
        }
        return wasDone;
    }

    private void drain() throws IOException {
        if (done.get()) {
            return;
        }
        boolean delivered = false;
        int credit = 0;
        try {
            while (out.isReady()) {
                if (inFlight != null) {
                    credit += inFlight.length;
                    recycle(inFlight);
                    inFlight = null;
                }
                Chunk next = queue.poll();
                if (next == null) {
                    if (upstreamEnded) {
                        delivered = done.compareAndSet(false, true);
                        break;
                    }
                    if (unflushed) {
                        unflushed = false;
                        // the backend has nothing more right now: push what we have (SSE, long polls)
                        out.flush();
                        continue;
                    }
                    break;
                }
                out.write(next.bytes, 0, next.length);
                inFlight = next;
                unflushed = true;
            }
        } catch (IOException e) {
            // the client's failure, not the backend's: wrapped so that HttpClient's report of it says so
            done.set(true);
            throw ClientSideException.writingResponse(e);
        }
        if (credit > 0) {
            if (capacity != null) {
                capacity.update(credit);
            } else {
                uncredited += credit;
            }
        }
        if (delivered) {
            exchange.responseComplete();
        }
    }

    private void recycle(Chunk c) {
        if (c.bytes.length == chunkSize && spare.size() < 2) {
            spare.add(c.bytes);
        }
    }
}
