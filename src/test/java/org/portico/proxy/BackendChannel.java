package org.portico.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * HttpClient's data channel towards the backend as {@link RequestBody} sees it: each write takes as many
 * bytes as the socket has room for (the test says how many), and a {@code requestOutput()} is remembered
 * until the reactor loop takes it.
 */
final class BackendChannel implements DataStreamChannel {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final IntSupplier room;
    private final Semaphore outputRequests = new Semaphore(0);
    final AtomicInteger ends = new AtomicInteger();
    /** Run on the writing thread inside the next write, before it takes bytes (then cleared). */
    volatile Runnable onNextWrite;

    BackendChannel(IntSupplier room) {
        this.room = room;
    }

    @Override
    public void requestOutput() {
        outputRequests.release();
    }

    @Override
    public int write(ByteBuffer src) {
        Runnable hook = onNextWrite;
        if (hook != null) {
            onNextWrite = null;
            hook.run();
        }
        int n = Math.min(src.remaining(), room.getAsInt());
        byte[] b = new byte[n];
        src.get(b);
        synchronized (this) {
            received.writeBytes(b);
        }
        return n;
    }

    @Override
    public void endStream() {
        ends.incrementAndGet();
    }

    @Override
    public void endStream(List<? extends Header> trailers) {
        endStream();
    }

    synchronized byte[] received() {
        return received.toByteArray();
    }

    /** Takes one pending output request, waiting at most {@code millis}. */
    boolean takeOutputRequest(long millis) throws InterruptedException {
        return outputRequests.tryAcquire(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Takes every pending output request; returns whether there was one. */
    boolean takeOutputRequests() {
        return outputRequests.drainPermits() > 0;
    }
}
