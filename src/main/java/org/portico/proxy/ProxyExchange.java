package org.portico.proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.portico.balancer.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request from start to end: the client's request and response (servlet side) bridged
 * to one backend exchange (HttpClient side). Directions are named as in Jetty's proxy:
 * C2P client to proxy, P2S proxy to server, S2P server to proxy, P2C proxy to client.
 */
final class ProxyExchange implements AsyncClientExchangeHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);
    private static final AtomicLong IDS = new AtomicLong();

    /** The request attribute under which an async re-dispatch finds the exchange that failed mid-body. */
    static final String ABORTED = ProxyExchange.class.getName() + ".aborted";

    private static final byte[] EMPTY = new byte[0];

    /**
     * Bodies up to this size that arrive in one backend read go to the client in one write into the
     * container's buffer, grown to fit: no write listener, no dispatch, one writev on complete().
     */
    private static final int ONE_SHOT_LIMIT = BackendReactors.MIN_BUFFER - 1;
    /** What Jetty and Tomcat buffer from one write by default. */
    private static final int AGGREGATION = 8192;

    final long id = IDS.incrementAndGet();
    private final ProxyRequest request;
    private final long startNanos = System.nanoTime();
    private final HttpServletRequest c2p;
    private final HttpServletResponse p2c;
    private final AsyncContext async;
    private final HttpRequest p2s;
    private final Worker worker;
    private final ResponseHeaders responseHeaders;
    private final RequestBody requestBody;
    /** What HttpClient sends as the body: the streamed client body, an empty one, or none. */
    private final AsyncEntityProducer entity;
    private volatile ResponseBody responseBody;
    private volatile Cancellable backend;
    private volatile boolean requestSent;
    /** The backend's body is read and dropped (error override). */
    private volatile boolean discarding;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    /** Who writes the response head: the backend's response or an error page in its place, never both. */
    private final AtomicBoolean headClaimed = new AtomicBoolean();
    /** The client failed: what HttpClient delivers from now on is refused, which drops the backend connection. */
    private volatile boolean clientGone;

    ProxyExchange(ProxyRequest request, AsyncContext async, HttpRequest p2s, Worker worker, long bodyLength,
                  boolean hasBody, int bufferSize) throws IOException {
        this.request = request;
        this.c2p = request.c2p;
        this.p2c = request.p2c;
        this.async = async;
        this.p2s = p2s;
        this.worker = worker;
        this.responseHeaders = new ResponseHeaders(request.settings, request.serverName);
        this.requestBody = hasBody && bodyLength != 0 ? new RequestBody(this, c2p.getInputStream(), bodyLength, bufferSize) : null;
        // a client's "Content-Length: 0" goes on as an empty entity: HttpClient frames the body itself and
        // refuses a request that already carries a Content-Length header
        this.entity = requestBody != null ? requestBody : hasBody ? new BasicAsyncEntityProducer(EMPTY, null) : null;
        worker.requestStarted();
    }

    void start(WorkerClient client) {
        backend = client.execute(this);
    }

    // ---------------------------------------------------------------- P2S

    @Override
    public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        requestSent = true;
        if (LOG.isDebugEnabled()) {
            LOG.debug("#{} P2S {} {} via {}", id, p2s.getMethod(), p2s.getPath(), worker);
        }
        // bytraffic's transferred counts the request head as httpd's ap_proxy_pass_brigade does, so GETs
        // without a body still spread by traffic instead of all going to the first member
        worker.addBytesTransferred(headLength(p2s));
        channel.sendRequest(p2s, entity, context);
    }

    /** The request head's length on the wire: request line, header lines and the blank line. */
    private static long headLength(HttpRequest p2s) {
        long n = p2s.getMethod().length() + 1 + p2s.getPath().length() + " HTTP/1.1\r\n".length() + 2;
        for (Header h : p2s.getHeaders()) {
            n += h.getName().length() + 2 + h.getValue().length() + 2;
        }
        return n;
    }

    @Override
    public int available() {
        return entity == null ? 0 : entity.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        try {
            produceBody(channel);
        } catch (RuntimeException e) {
            // an unchecked exception would end the reactor's thread, and with it every exchange of the workers on it
            throw new IOException("producing the request body failed", e);
        }
    }

    private void produceBody(DataStreamChannel channel) throws IOException {
        if (entity != null) {
            long before = requestBody == null ? 0 : requestBody.sent();
            try {
                entity.produce(channel);
            } finally {
                if (requestBody != null) {
                    // counted as it goes (httpd's transferred), not when the exchange ends: bytraffic's next
                    // choice may come before that
                    worker.addBytesTransferred(requestBody.sent() - before);
                }
            }
        }
    }

    // ---------------------------------------------------------------- S2P → P2C

    @Override
    public void consumeInformation(HttpResponse response, HttpContext context) {
        // interim 1xx responses cannot be relayed through the Servlet 6.0 API; the final one follows
    }

    @Override
    public void consumeResponse(HttpResponse s2p, EntityDetails entity, HttpContext context) throws IOException {
        if (LOG.isDebugEnabled()) {
            LOG.debug("#{} S2P {} from {}", id, s2p.getCode(), worker);
        }
        if (clientGone || !headClaimed.compareAndSet(false, true)) {
            throw ClientSideException.gone(); // the client got its answer (or is gone): drop this response with its connection
        }
        // httpd's read counts the status line (without its CRLF) besides the body; header lines are not counted
        String reason = s2p.getReasonPhrase();
        worker.addBytesRead("HTTP/1.1 ".length() + 3 + (reason == null ? 0 : 1 + reason.length()));
        if (request.settings.overridesError(s2p.getCode())) {
            overrideError(s2p);
            return;
        }
        long length = entity == null ? -1 : entity.getContentLength();
        boolean oneShot = entity != null && length >= 0 && length <= ONE_SHOT_LIMIT;
        if (oneShot && length >= Math.min(AGGREGATION, p2c.getBufferSize())) {
            // nothing is written yet, so the buffer may still be set; one that holds the whole body takes
            // its one write without sending (Jetty also stops passing writes over 8 KiB straight through,
            // and a deployer may have made the buffer smaller)
            p2c.setBufferSize(Math.max(p2c.getBufferSize(), (int) length + 1));
        }
        // a small body's length is left to the container, which knows it once the body is complete
        responseHeaders.copy(s2p, p2c, c2p, oneShot ? -1 : length);
        String routeCookie = request.routeCookie();
        if (routeCookie != null) {
            p2c.addHeader("Set-Cookie", routeCookie);
        }
        worker.recordResponseTime(System.nanoTime() - startNanos, System.currentTimeMillis());
        request.completed(worker, s2p.getCode(), false, () -> new HeaderValues(s2p, "Set-Cookie"));
        if (entity == null) {
            if (s2p.getCode() == 204 || s2p.getCode() == 304) {
                // sent now, so the container does not frame the empty body as "Content-Length: 0" on complete
                // (httpd passes these without one). Not for HEAD: committed early on a kept-alive connection,
                // Jetty would announce "Transfer-Encoding: chunked" instead
                try {
                    p2c.flushBuffer();
                } catch (IOException e) {
                    clientFailed(ClientSideException.writingResponse(e));
                    return;
                }
            }
            finish();
            return;
        }
        ResponseBody body = new ResponseBody(this, p2c, length, oneShot);
        responseBody = body;
        body.start();
    }

    /**
     * ProxyErrorOverride: the backend's error body is dropped and Portico's page sent in its place;
     * a 401 keeps its WWW-Authenticate challenge, as httpd does.
     */
    private void overrideError(HttpResponse s2p) throws IOException {
        discarding = true;
        request.completed(worker, s2p.getCode(), false, null);
        // httpd's title is the backend's status line (r->status_line), so its reason phrase is kept in the page
        String phrase = s2p.getReasonPhrase();
        if (phrase == null || phrase.isBlank()) {
            phrase = ErrorPage.reasonPhrase(s2p.getCode());
        }
        ErrorPage.sendWithPhrase(c2p, p2c, s2p.getCode(), phrase, null, c2p.getMethod());
        if (s2p.getCode() == 401) {
            for (Header h : s2p.getHeaders("WWW-Authenticate")) {
                p2c.addHeader(h.getName(), h.getValue());
            }
        }
        finish();
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        ResponseBody body = responseBody;
        if (body != null) {
            body.updateCapacity(capacityChannel);
        } else if (discarding) {
            capacityChannel.update(Integer.MAX_VALUE); // read the dropped body to its end, so the connection can be reused
        }
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (clientGone) {
            throw ClientSideException.gone(); // never read a body nobody will get to its end: drop the connection
        }
        // counted on arrival (httpd's read), before the client can have these bytes and ask again
        worker.addBytesRead(src.remaining());
        ResponseBody body = responseBody;
        if (body == null) {
            src.position(src.limit());
        } else {
            body.consume(src);
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws IOException {
        ResponseBody body = responseBody;
        if (body != null) {
            body.streamEnd();
        }
    }

    /** Called once the last byte has been handed to the container. */
    void responseComplete() {
        finish();
    }

    // ---------------------------------------------------------------- failures

    @Override
    public void failed(Exception cause) {
        ClientSideException client = ClientSideException.in(cause);
        if (client != null) {
            // the client's failure travelled through HttpClient's callbacks: it is not the backend's
            clientFailed(client);
            return;
        }
        backendFailed(cause);
    }

    @Override
    public void cancel() {
        // cancelled by us (client gone) or by the client shutting down: nothing left to answer
        if (finished.compareAndSet(false, true)) {
            complete();
        }
    }

    private void backendFailed(Exception cause) {
        if (finished.get()) {
            return;
        }
        ResponseBody body = responseBody;
        if (body == null && !headClaimed.get() && (requestBody == null || requestBody.untouched())
                && BackendFailure.resendable(cause, idempotentWithoutBody()) && request.resend(worker, describe(cause))) {
            // the request never left, or an idempotent one met a connection that closed before answering
            if (finished.compareAndSet(false, true)) {
                release();
            }
            return;
        }
        boolean bodyComplete = requestBody == null || requestBody.complete();
        BackendFailure failure = BackendFailure.classify(cause, requestSent, bodyComplete);
        long now = System.currentTimeMillis();
        if (failure.connectPhase() && body == null && (requestBody == null || requestBody.untouched())) {
            if (request.failOver(worker, failure.kind(), now)) {
                // one line per failure: when no other member takes over, the line below says what the client got
                LOG.warn("#{} {} {} to {} failed ({}): {} -> balancer://{} fails over", id, c2p.getMethod(),
                        c2p.getRequestURI(), worker, failure.kind(), describe(cause), request.balancerName());
                if (finished.compareAndSet(false, true)) {
                    release();
                }
                return;
            }
        } else {
            request.completed(worker, failure.status(), failure.kind().timedOut(), null);
        }
        if (body != null && body.abandon()) {
            return; // the response had been delivered in full
        }
        if (body == null || !p2c.isCommitted()) {
            // nothing has reached the client yet (no body byte was flushed): it can still get a proper error
            if (finished.compareAndSet(false, true)) {
                headClaimed.set(true);
                LOG.warn("#{} {} {} to {} failed: {} -> {}", id, c2p.getMethod(), c2p.getRequestURI(), worker,
                        describe(cause), failure.status());
                try {
                    ErrorPage.send(c2p, p2c, failure.status(), failure.status() == 503 ? null : failure.reason());
                } catch (IOException | IllegalStateException e) {
                    LOG.debug("#{} could not send the error page", id, e);
                }
                complete();
            }
            return;
        }
        LOG.warn("#{} {} {} to {} failed after the response started: {} -> client connection aborted",
                id, c2p.getMethod(), c2p.getRequestURI(), worker, describe(cause));
        if (finished.compareAndSet(false, true)) {
            abortClientConnection(cause);
        }
    }

    /** A truncated body must never look complete: the container is made to abort the client's connection. */
    private void abortClientConnection(Throwable cause) {
        c2p.setAttribute(ABORTED, cause);
        dispatchToContainer();
    }

    /** Ends the exchange through an async dispatch, whose outcome the container then handles (see ProxyServlet). */
    private void dispatchToContainer() {
        release();
        try {
            async.dispatch();
        } catch (IllegalStateException e) {
            LOG.debug("#{} dispatch failed", id, e);
        }
    }

    /**
     * The client failed: its body could not be read (malformed, or the client went away mid-body) or the
     * response could not be written. The backend exchange is aborted, never completed as if the body had
     * ended, and the member is not blamed. A client whose body failed gets 400 if nothing was answered yet.
     * Called from container threads and the reactor; acts once.
     */
    void clientFailed(ClientSideException failure) {
        clientGone = true;
        // finished first: a backend failure that aborting reports must not try to answer the client
        boolean first = finished.compareAndSet(false, true);
        abortBackend(failure);
        if (!first) {
            return;
        }
        Throwable cause = failure.clientCause();
        if (!failure.whileReading()) {
            LOG.info("#{} {} {} to {}: the client went away ({}) -> response abandoned, backend exchange aborted",
                    id, c2p.getMethod(), c2p.getRequestURI(), worker, describe(cause));
            complete();
            return;
        }
        if (headClaimed.compareAndSet(false, true)) {
            String answered;
            try {
                ErrorPage.send(c2p, p2c, 400, null);
                answered = "400";
            } catch (IOException | IllegalStateException e) {
                // the client is gone, or the container took the answer over (Tomcat: sendError(400) and a close)
                answered = "no answer from Portico (" + describe(e) + ")";
            }
            LOG.warn("#{} {} {} to {}: the request body failed ({}) -> {}, backend exchange aborted",
                    id, c2p.getMethod(), c2p.getRequestURI(), worker, describe(cause), answered);
            complete();
            return;
        }
        LOG.warn("#{} {} {} to {}: the request body failed ({}) after the response started -> client connection "
                + "aborted, backend exchange aborted", id, c2p.getMethod(), c2p.getRequestURI(), worker, describe(cause));
        abortClientConnection(cause);
    }

    /**
     * Makes HttpClient drop the backend connection: a lease still pending is cancelled, a body being sent
     * fails at its next produce(), and response bytes still arriving are refused (see consume).
     */
    private void abortBackend(IOException cause) {
        Cancellable b = backend;
        if (b != null) {
            b.cancel();
        }
        if (requestBody != null) {
            requestBody.abort(cause);
        }
        ResponseBody body = responseBody;
        if (body != null) {
            body.unblockBackend();
        }
    }

    /** Safe to send again after a connection failure before any answer: no body, and a method that may repeat. */
    private boolean idempotentWithoutBody() {
        if (requestBody != null) {
            return false; // an empty entity (Content-Length: 0, or what a container reports for none) is no body
        }
        String m = p2s.getMethod();
        return "GET".equals(m) || "HEAD".equals(m) || "OPTIONS".equals(m) || "TRACE".equals(m);
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            complete();
        }
    }

    private void complete() {
        // the member's busy count first: the client's next request, which may come as soon as this
        // response completes, must be balanced on it (spec §12.10)
        release();
        try {
            async.complete();
        } catch (IllegalStateException e) {
            LOG.debug("#{} async already completed", id);
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            worker.requestEnded();
        }
    }

    @Override
    public void releaseResources() {
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
