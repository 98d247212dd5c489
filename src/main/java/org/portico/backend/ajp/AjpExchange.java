package org.portico.backend.ajp;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.portico.backend.BackendChannel;
import org.portico.backend.BackendException;
import org.portico.backend.ClientConnection;
import org.portico.balancer.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exchange over AJP, run on one of the protocol's threads once the pool granted a connection: CPING
 * when the worker has a ping, the forward-request packet, the body packets as the container asks for them,
 * then the response packets handed to the exchange handler as HttpCore would hand them (head, body within
 * the capacity it granted, end), and the connection back to the pool when the container allows its reuse.
 * Failures reach the handler as the statuses mod_proxy_ajp answers ({@link BackendException}). Thread-safe:
 * {@link #cancel()} may come from any thread.
 */
final class AjpExchange implements Cancellable, ConnectionPool.Waiter<AjpConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(AjpExchange.class);
    /** A pooled connection idle longer than this is checked before use, as HttpClient's are. */
    private static final long VALIDATE_AFTER_NANOS = 1_000_000_000L;
    /** httpd's is_idempotent(): these methods without query arguments (and, here, without a body). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private enum Phase { LEASING, CONNECTING, SENDING, WAITING_HEAD, STREAMING, DONE }

    private final AsyncClientExchangeHandler handler;
    private final AjpChannel channel;
    private final Credit credit = new Credit(BackendChannel.WINDOW);
    private final Wakeup more = new Wakeup();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final HttpCoreContext context = HttpCoreContext.create();
    private volatile boolean cancelled;
    private volatile ConnectionPool.Pending pending;
    private volatile AjpConnection connection;
    private volatile Phase phase = Phase.LEASING;
    private HttpRequest head;
    private EntityDetails entity;
    private BodySender body;

    AjpExchange(AsyncClientExchangeHandler handler, AjpChannel channel) {
        this.handler = handler;
        this.channel = channel;
    }

    void start() {
        pending = channel.pool().lease(channel.settings().acquireMillis(), this);
        if (cancelled) {
            pending.cancel();
        }
    }

    // ---------------------------------------------------------------- the pool's answer

    @Override
    public void granted(AjpConnection idle) {
        try {
            channel.executor().execute(() -> run(idle));
        } catch (RejectedExecutionException e) {
            channel.pool().release(idle, idle != null);
            finish(new BackendException(503, Failure.ACQUIRE_TIMEOUT, "no AJP thread free for " + channel.target(), e));
        }
    }

    @Override
    public void refused(Exception why) {
        finish(why); // a TimeoutException: the proxy answers it as httpd's acquire timeout, 503
    }

    // ---------------------------------------------------------------- the connection's thread

    private void run(AjpConnection idle) {
        AjpConnection c = idle;
        boolean released = false;
        try {
            if (cancelled) {
                throw new Credit.Cancelled();
            }
            phase = Phase.CONNECTING;
            if (c != null && c.idleNanos(System.nanoTime()) > VALIDATE_AFTER_NANOS && c.stale()) {
                c.close();
                c = null;
            }
            c = ready(c);
            phase = Phase.SENDING;
            ResponseReader response = exchange(c);
            boolean reuse = response.read() && !channel.settings().disableReuse();
            phase = Phase.DONE;
            // the connection goes back before the handler hears of the end: the client's next request may want it
            if (reuse) {
                c.idle();
            }
            connection = null;
            released = true;
            channel.pool().release(c, reuse);
            if (response.withBody()) {
                callHandler(() -> handler.streamEnd(null));
            }
            finish(null);
        } catch (Exception e) {
            Exception failure = cancelled ? e : failure(e);
            if (c != null && !released) {
                c.close();
            }
            finish(failure);
        } finally {
            if (!released) {
                connection = null;
                channel.pool().release(c, false);
            }
        }
    }

    /** A connection that answered its CPING when the worker has a ping: httpd tries a second, new one. */
    private AjpConnection ready(AjpConnection pooled) throws IOException {
        AjpConnection c = pooled != null ? pooled : open();
        connection = c;
        if (cancelled) {
            c.close();
        }
        AjpChannel.Settings s = channel.settings();
        if (s.ping() == null) {
            return c;
        }
        if (cpong(c)) {
            return c;
        }
        c.close();
        c = open();
        connection = c;
        if (cpong(c)) {
            return c;
        }
        c.close();
        throw new BackendException(503, Failure.PING_TIMEOUT, "cping/cpong failed to " + channel.target()
                + " within ping " + s.ping().toMillis() + " ms", null);
    }

    private boolean cpong(AjpConnection c) {
        try {
            return c.cping(channel.settings().ping());
        } catch (IOException e) {
            return false;
        }
    }

    private AjpConnection open() throws IOException {
        try {
            return AjpConnection.open(channel.settings().endpoint());
        } catch (UnknownHostException e) {
            throw e;
        } catch (IOException e) {
            throw new BackendException(503, Failure.CONNECT_FAILED, "failed to make connection to backend: "
                    + channel.target() + " (" + e.getMessage() + ")", e);
        }
    }

    /** Sends the request on {@code c}; returns the reader of its response. */
    private ResponseReader exchange(AjpConnection c) throws IOException {
        c.startExchange();
        callHandler(() -> handler.produceRequest((request, details, ctx) -> {
            head = request;
            entity = details;
        }, context));
        if (head == null) {
            throw new IllegalStateException("the exchange produced no request");
        }
        ClientConnection client = head instanceof ClientConnection.Carrier carrier ? carrier.client() : null;
        AjpChannel.Settings settings = channel.settings();
        AjpMessage forward = ForwardRequest.encode(head, entity, client, settings.secret(), settings.packetSize());
        c.write(forward.bytes(), forward.finish());
        if (entity != null) {
            body = new BodySender(handler, more, settings.timeoutMillis(), settings.packetSize());
            if (entity.getContentLength() > 0) {
                body.send(c, body.maxData()); // the container expects the first chunk unasked
            }
        }
        phase = Phase.WAITING_HEAD;
        return new ResponseReader(c, handler, context, credit, channel.settings().timeoutMillis(),
                "HEAD".equals(head.getMethod()), this::bodyAsked, () -> phase = Phase.STREAMING);
    }

    /** GET_BODY_CHUNK: the next body packet, or an empty one when there is no (more) body. */
    private void bodyAsked(AjpConnection c, int max) throws IOException {
        if (body == null) {
            c.write(new byte[] {(byte) AjpCodes.TO_CONTAINER_0, (byte) AjpCodes.TO_CONTAINER_1, 0, 0}, AjpCodes.HEADER);
        } else {
            body.send(c, max);
        }
    }

    /** A call into the handler: what it throws is its own (the client's) failure, passed on as it is. */
    interface HandlerCall {
        void run() throws Exception;
    }

    /** Wraps what a handler call throws, so that the failure mapping passes it on untouched. */
    static final class HandlerFailure extends IOException {
        private static final long serialVersionUID = 1L;

        HandlerFailure(Exception cause) {
            super(cause);
        }
    }

    static void callHandler(HandlerCall call) throws HandlerFailure {
        try {
            call.run();
        } catch (Exception e) {
            throw new HandlerFailure(e);
        }
    }

    /** What the handler hears of {@code e}: the statuses and failover of mod_proxy_ajp. */
    private Exception failure(Exception e) {
        if (e instanceof HandlerFailure h) {
            return (Exception) h.getCause();
        }
        if (e instanceof BackendException || e instanceof UnknownHostException) {
            return e;
        }
        String target = channel.target();
        if (e instanceof AjpMessage.Overflow) {
            // httpd's page says nothing of the packet: a plain 400 Bad Request; the log says why
            return BackendException.logOnly(400, Failure.BAD_RESPONSE, e.getMessage(), e);
        }
        if (e instanceof BodySender.ClientTimeout) {
            return new BackendException(400, Failure.BAD_RESPONSE, e.getMessage(), e);
        }
        boolean timeout = e instanceof SocketTimeoutException;
        boolean bodySent = body != null && body.sent() > 0;
        if (phase == Phase.STREAMING) {
            return new BackendException(502, timeout ? Failure.READ_TIMEOUT : Failure.BAD_RESPONSE,
                    "error reading the response from " + target + ": " + e, e);
        }
        if (timeout && channel.settings().ping() != null && phase == Phase.WAITING_HEAD) {
            // a container that answered its CPING and then timed out: this request's fault, not the worker's
            return new BackendException(504, Failure.READ_TIMEOUT, "read response failed from " + target + " (timeout)", e);
        }
        if (!bodySent && idempotent()) {
            // nothing that cannot be repeated went out: another member may have it (httpd's 503)
            return new BackendException(503, Failure.CONNECT_FAILED, (phase == Phase.SENDING ? "request failed to "
                    : "read response failed from ") + target + ": " + e, e);
        }
        return new BackendException(500, timeout ? Failure.READ_TIMEOUT : Failure.BAD_RESPONSE,
                (phase == Phase.SENDING && !bodySent ? "request failed to " : "read response failed from ") + target
                        + ": " + e, e);
    }

    private boolean idempotent() {
        if (head == null) {
            return true;
        }
        String path = head.getPath();
        boolean args = path != null && path.indexOf('?') >= 0;
        return IDEMPOTENT.contains(head.getMethod()) && !args && (entity == null || entity.getContentLength() == 0);
    }

    private void finish(Exception failure) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            if (failure == null) {
                return;
            }
            if (cancelled) {
                handler.cancel();
            } else {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("AJP exchange with {} failed in {}: {}", channel.target(), phase, failure.toString());
                }
                handler.failed(failure);
            }
        } catch (RuntimeException e) {
            LOG.warn("the exchange handler failed handling an AJP failure", e);
        } finally {
            handler.releaseResources();
        }
    }

    // ---------------------------------------------------------------- cancel

    @Override
    public boolean cancel() {
        if (finished.get()) {
            return false;
        }
        cancelled = true;
        ConnectionPool.Pending p = pending;
        if (p != null && phase == Phase.LEASING) {
            p.cancel();
        }
        credit.cancel();
        more.cancel();
        AjpConnection c = connection;
        if (c != null) {
            c.close(); // a blocked read or write ends now
        }
        if (phase == Phase.LEASING) {
            finish(new Credit.Cancelled());
        }
        return true;
    }
}
