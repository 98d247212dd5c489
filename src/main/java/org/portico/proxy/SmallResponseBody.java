package org.portico.proxy;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.hc.core5.http.nio.CapacityChannel;

/**
 * A response body whose announced length fits the container's output buffer: it is collected and
 * handed over in one write, which only fills that buffer and so cannot block the reactor thread; the
 * container sends it on complete(). This saves a WriteListener dispatch per small response, and
 * until the last byte has arrived nothing is committed, so a failing backend still gets a proper
 * 502 page instead of an aborted connection. Thread-safe under one lock.
 */
final class SmallResponseBody implements ResponseBody {

    /** Below the output buffers of Jetty (aggregation 8 KiB) and Tomcat (8 KiB). */
    static final int LIMIT = 8191;

    private final ProxyExchange exchange;
    private final ServletOutputStream out;
    private final byte[] body;
    private final ReentrantLock lock = new ReentrantLock();
    private int received;
    private boolean written;
    private boolean done;

    SmallResponseBody(ProxyExchange exchange, ServletOutputStream out, int length) {
        this.exchange = exchange;
        this.out = out;
        this.body = new byte[length];
    }

    static boolean fits(long length, int containerBufferSize) {
        return length >= 0 && length <= Math.min(LIMIT, containerBufferSize - 1);
    }

    @Override
    public void start() {
    }

    @Override
    public void updateCapacity(CapacityChannel channel) {
        // at most one window: HttpClient never waits for credit here
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        lock.lock();
        try {
            int n = Math.min(src.remaining(), body.length - received);
            src.get(body, received, n);
            received += n;
            src.position(src.limit());
            if (received == body.length) {
                writeAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void streamEnd() throws IOException {
        lock.lock();
        try {
            writeAll();
        } finally {
            lock.unlock();
        }
    }

    private void writeAll() throws IOException {
        if (done) {
            return;
        }
        done = true;
        written = true;
        out.write(body, 0, received);
        exchange.responseComplete();
    }

    @Override
    public long received() {
        lock.lock();
        try {
            return received;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean started() {
        lock.lock();
        try {
            return written;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean abandon() {
        lock.lock();
        try {
            boolean wasDone = done;
            done = true;
            return wasDone;
        } finally {
            lock.unlock();
        }
    }
}
