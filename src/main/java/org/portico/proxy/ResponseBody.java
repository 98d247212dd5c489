package org.portico.proxy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.portico.backend.BackendChannel;

/**
 * The backend's response body on its way to the client (S2P → P2C) with backpressure: HttpClient is
 * granted credit only for bytes the container has accepted, so a slow client holds the backend back
 * instead of filling the heap. At most one window ({@link BackendChannel#WINDOW}) plus one read is queued.
 *
 * <p>A chunk handed to the container stays ours until {@code isReady()} says the write finished: in
 * non-blocking mode a container may still be sending from our array. Thread-safe under one
 * {@link HandOffLock}, which the container's threads never wait for; where the body is in its life is
 * one {@link State}, moved forward by compare-and-set, so that a container's {@code onError} (which
 * takes no lock) and the reactor agree on who ended it.
 */
final class ResponseBody implements WriteListener {

    /** Where the body is. It only moves forward; the last three states are final. */
    enum State {
        /** A one-shot body before its content: no WriteListener yet, so a whole body can go out in one write. */
        AWAITING_CONTENT,
        /** The WriteListener is set: writes are non-blocking, driven by drain(); nothing written waits for a flush. */
        STREAMING,
        /** Streaming, with bytes written since the last flush: flushed as soon as the backend pauses. */
        STREAMING_UNFLUSHED,
        /** The backend's body ended (or all its announced bytes are here): what is queued goes out, then DELIVERED. */
        DRAINING,
        /** Every byte was handed to the container and the exchange was told. */
        DELIVERED,
        /** The exchange stopped the body (the backend failed); later content is dropped. */
        ABANDONED,
        /** Writing to the client failed; later content is dropped. */
        CLIENT_FAILED;

        /** No more writes: the body was delivered, abandoned, or the client failed. */
        boolean isFinal() {
            return compareTo(DELIVERED) >= 0;
        }
    }

    /** One backend read: each is handed to the container in one write. */
    private static final int CHUNK = BackendChannel.CHUNK;

    private final BodyOutcome exchange;
    private final ServletOutputStream out;
    private final LongConsumer contentLength;
    private final boolean oneShot;
    private final long expectedLength;
    private final HandOffLock lock = new HandOffLock();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>(2);
    private final int chunkSize;
    private Chunk inFlight;
    private volatile CapacityChannel capacity;
    private int uncredited;
    private volatile long received;
    private final AtomicReference<State> state = new AtomicReference<>(State.AWAITING_CONTENT);

    private static final class Chunk {
        final byte[] bytes;
        int length;

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /**
     * @param out the client's response stream (P2C)
     * @param contentLength sets the response's Content-Length (a one-shot body that has to stream after all)
     * @param oneShot the announced length is small enough for the container's buffer; the caller then left
     *                Content-Length unset, so that one write only fills that buffer and cannot block
     */
    ResponseBody(BodyOutcome exchange, ServletOutputStream out, LongConsumer contentLength, long expectedLength,
                 boolean oneShot) {
        this.exchange = exchange;
        this.out = out;
        this.contentLength = contentLength;
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

    /** Where the body is now. */
    State state() {
        return state.get();
    }

    /** Under the lock: AWAITING_CONTENT to STREAMING, setting the WriteListener. */
    private void startStreaming() {
        if (oneShot) {
            contentLength.accept(expectedLength);
        }
        if (state.compareAndSet(State.AWAITING_CONTENT, State.STREAMING)) {
            out.setWriteListener(this);
        }
    }

    /** To a final state, unless the body is in one already; returns the state it was in. */
    private State finish(State end) {
        return state.getAndUpdate(s -> s.isFinal() ? s : end);
    }

    /**
     * A small body that arrived whole goes out in one write into the container's buffer, sent on
     * complete(): no WriteListener dispatch for the common small response.
     */
    private boolean writeWhole(ByteBuffer src) throws IOException {
        if (state.get() != State.AWAITING_CONTENT || !oneShot || received != 0 || src.remaining() != expectedLength) {
            return false;
        }
        byte[] whole = new byte[src.remaining()];
        src.get(whole);
        received = whole.length;
        try {
            out.write(whole);
        } catch (IOException e) {
            finish(State.CLIENT_FAILED);
            throw ClientSideException.writingResponse(e);
        }
        return state.compareAndSet(State.AWAITING_CONTENT, State.DELIVERED);
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
            if (state.get().isFinal()) {
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
            exchange.responseDelivered();
        }
    }

    private void append(ByteBuffer src) throws IOException {
        if (state.get() == State.AWAITING_CONTENT) {
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
            // all announced bytes are here: skip the flush, the async complete will send them
            upstreamEnded();
        }
        drain();
    }

    /** STREAMING (flushed or not) to DRAINING. */
    private void upstreamEnded() {
        state.getAndUpdate(s -> s == State.STREAMING || s == State.STREAMING_UNFLUSHED ? State.DRAINING : s);
    }

    void streamEnd() throws IOException {
        boolean empty = false;
        lock.lock();
        try {
            // no content at all: nothing to write, the container completes an empty body
            empty = state.compareAndSet(State.AWAITING_CONTENT, State.DELIVERED);
            if (!empty) {
                upstreamEnded();
                drain();
            }
        } finally {
            lock.unlock();
        }
        if (empty) {
            exchange.responseDelivered();
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        lock.runOrHandOff(this::drain);
    }

    @Override
    public void onError(Throwable t) {
        finish(State.CLIENT_FAILED);
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
        if (state.get().isFinal()) {
            return true;
        }
        boolean wasDone;
        lock.lock();
        try {
            wasDone = finish(State.ABANDONED).isFinal();
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
        if (state.get().isFinal()) {
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
                    if (state.get() == State.DRAINING) {
                        delivered = state.compareAndSet(State.DRAINING, State.DELIVERED);
                        break;
                    }
                    if (state.compareAndSet(State.STREAMING_UNFLUSHED, State.STREAMING)) {
                        // the backend has nothing more right now: push what we have (SSE, long polls)
                        out.flush();
                        continue;
                    }
                    break;
                }
                out.write(next.bytes, 0, next.length);
                inFlight = next;
                state.compareAndSet(State.STREAMING, State.STREAMING_UNFLUSHED);
            }
        } catch (IOException e) {
            // the client's failure, not the backend's: wrapped so that HttpClient's report of it says so
            finish(State.CLIENT_FAILED);
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
            exchange.responseDelivered();
        }
    }

    private void recycle(Chunk c) {
        if (c.bytes.length == chunkSize && spare.size() < 2) {
            spare.add(c.bytes);
        }
    }
}
