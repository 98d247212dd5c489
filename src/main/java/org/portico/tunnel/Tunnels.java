package org.portico.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.portico.config.TrustStoreConfig;
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
    private final Map<Optional<TrustStoreConfig>, SSLContext> contexts = new ConcurrentHashMap<>();

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

    /**
     * The TLS context of wss:// and https:// members with {@code trustStore} (null: the JVM's default trust store),
     * loaded once per trust store.
     *
     * @throws IllegalStateException when the trust store cannot be loaded
     */
    public SSLContext tls(TrustStoreConfig trustStore) {
        return contexts.computeIfAbsent(Optional.ofNullable(trustStore), Tunnels::load);
    }

    private static SSLContext load(Optional<TrustStoreConfig> trust) {
        try {
            if (trust.isEmpty()) {
                return SSLContext.getDefault();
            }
            TrustStoreConfig t = trust.get();
            KeyStore ks = KeyStore.getInstance(t.type());
            try (InputStream in = Files.newInputStream(t.path())) {
                ks.load(in, t.password() == null ? null : t.password().toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("trust-store '" + trust.get().id() + "' (" + trust.get().path()
                    + ") cannot be loaded: " + e, e);
        }
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
