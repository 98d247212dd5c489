package org.portico.launcher;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnection;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mod_reqtimeout's header timeout for the standalone jar: a connection whose request head is not complete
 * within the deadline after it opened, or after its previous response ended, is closed. Jetty 12 has only
 * an idle timeout, which a client sending a byte now and then (slowloris) puts off for ever.
 * <p>
 * Added to the connector as a bean, it sees every connection open and close; {@link #watch} wraps the
 * server's handler, which Jetty calls once a head is complete. A sweep a few times per deadline closes the
 * late ones, so a request costs two volatile writes, not a timer. Thread-safe.
 * <p>
 * On the TLS listener the deadline first bounds the handshake (the {@link SslConnection} until the protocol
 * it negotiated opens), then HTTP/1.1 heads as on the plain one. An HTTP/2 connection carries many requests at
 * once, so "waiting for a head" is not a state of the connection: it is left to Jetty's HTTP/2 idle timeouts.
 */
final class HeadReadDeadline extends AbstractLifeCycle implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HeadReadDeadline.class);
    /** {@link Watch#waitingSince} while a request is being handled: its head is complete. */
    private static final long HANDLING = Long.MIN_VALUE;

    private final Duration deadline;
    private final long deadlineNanos;
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    /** One connection: since when it waits for a request head. */
    private static final class Watch {
        volatile long waitingSince;

        Watch(long now) {
            waitingSince = now;
        }
    }

    HeadReadDeadline(Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the header read timeout must be positive: " + deadline);
        }
        this.deadline = deadline;
        this.deadlineNanos = deadline.toNanos();
    }

    /** {@code next}, telling this deadline when a request's head is complete and when its response has ended. */
    Handler watch(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Watch w = watched.get(request.getConnectionMetaData().getConnection());
                if (w == null) {
                    return super.handle(request, response, callback);
                }
                w.waitingSince = HANDLING;
                // a kept-alive connection's next head has the same time to arrive. The callback, not
                // Request.addCompletionListener: that one's stream wrapper kept "Connection: close" from closing
                return super.handle(request, response, new Callback.Nested(callback) {
                    @Override
                    public void succeeded() {
                        w.waitingSince = System.nanoTime();
                        super.succeeded();
                    }

                    @Override
                    public void failed(Throwable x) {
                        w.waitingSince = System.nanoTime();
                        super.failed(x);
                    }
                });
            }
        };
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof ALPNServerConnection) {
            return; // it negotiates during the handshake, which the SslConnection's watch bounds
        }
        if (connection.getEndPoint() instanceof SslConnection.SslEndPoint tls) {
            watched.remove(tls.getSslConnection()); // the handshake is done: the negotiated protocol opens
        }
        if (!(connection instanceof HTTP2Connection)) {
            watched.put(connection, new Watch(System.nanoTime()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portico-header-timeout");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1000, deadline.toMillis() / 10));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        int closed = 0;
        for (Map.Entry<Connection, Watch> e : watched.entrySet()) {
            long since = e.getValue().waitingSince;
            if (since != HANDLING && now - since > deadlineNanos) {
                watched.remove(e.getKey());
                // as Jetty's idle timeout does before a request starts: no response, the connection ends
                e.getKey().close();
                closed++;
            }
        }
        if (closed > 0) {
            LOG.info("closed {} connection(s) whose request head was not complete within {} ms (header read timeout)",
                    closed, deadline.toMillis());
        }
    }
}
