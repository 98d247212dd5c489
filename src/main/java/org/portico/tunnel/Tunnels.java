package org.portico.tunnel;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every tunnel of a running proxy shares: the channel group whose few threads carry all backend
 * sockets of all tunnels (so 1,000 idle tunnels cost no thread each), and the timer of their timeouts.
 * Thread-safe; {@link #close} ends every backend connection.
 */
public final class Tunnels implements AutoCloseable {

    private final int threads;
    private final ScheduledExecutorService timer;
    /** Made with the first tunnel: a proxy without upgrades has no thread for them. Guarded by this. */
    private AsynchronousChannelGroup group;
    private boolean closed;

    /**
     * @param threads the channel group's threads
     * @param timer the proxy's scheduler, for connect and idle timeouts; not shut down by {@link #close}
     */
    public Tunnels(int threads, ScheduledExecutorService timer) {
        this.threads = threads;
        this.timer = timer;
    }

    AsynchronousSocketChannel open() throws IOException {
        return AsynchronousSocketChannel.open(group());
    }

    private synchronized AsynchronousChannelGroup group() throws IOException {
        if (closed) {
            throw new IOException("the proxy is shutting down");
        }
        if (group == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "portico-tunnel-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            group = AsynchronousChannelGroup.withFixedThreadPool(threads, factory);
        }
        return group;
    }

    /** The timer of connect and idle timeouts. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (group == null) {
            return;
        }
        try {
            group.shutdownNow();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
