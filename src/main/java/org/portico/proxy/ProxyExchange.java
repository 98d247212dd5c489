package org.portico.proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
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
import org.portico.backend.BackendChannel;
import org.portico.balancer.Failure;
import org.portico.balancer.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request from start to end: the client's request and response (servlet side) bridged
 * to one backend exchange (HttpClient side). Directions are named as in Jetty's proxy:
 * C2P client to proxy, P2S proxy to server, S2P server to proxy, P2C proxy to client.
 */
final class ProxyExchange implements AsyncClientExchangeHandler, BodyOutcome {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);
    private static final AtomicLong IDS = new AtomicLong();

    private static final byte[] EMPTY = new byte[0];

    /**
     * Bodies up to this size that arrive in one backend read go to the client in one write into the
     * container's buffer, grown to fit: no write listener, no dispatch, one writev on complete().
     */
    private static final int ONE_SHOT_LIMIT = BackendChannel.CHUNK - 1;
    /** What Jetty and Tomcat buffer from one write by default. */
    private static final int AGGREGATION = 8192;

    final long id = IDS.incrementAndGet();
    private final ProxyRequest request;
    private final long startNanos = System.nanoTime();
    private final HttpServletRequest c2p;
    private final HttpServletResponse p2c;
    private final HttpRequest p2s;
    private final Worker worker;
    private final ResponseHeaders responseHeaders;
    private final RequestBody requestBody;
    /** What HttpClient sends as the body: the streamed client body, an empty one, or none. */
    private final AsyncEntityProducer entity;
    /** httpd's ping: the body waits for the member's 100; null when the member has no ping or there is no body. */
    private final ContinueProbe probe;
    private volatile ResponseBody responseBody;
    private volatile Cancellable backend;
    private volatile boolean requestSent;
    /** The backend's body is read and dropped (error override). */
    private volatile boolean discarding;
    private final ExchangeEnd end;
    private final ClientAnswer answer;
    /** Who writes the response head: the backend's response or an error page in its place, never both. */
    private final AtomicBoolean headClaimed = new AtomicBoolean();
    /** The client failed: what HttpClient delivers from now on is refused, which drops the backend connection. */
    private volatile boolean clientGone;
    /** For the exchange listener: the backend's status once its head arrived, and how the backend side failed. */
    private volatile int status;
    private volatile Failure failedAs;

    ProxyExchange(ProxyRequest request, AsyncContext async, HttpRequest p2s, Worker worker, long bodyLength,
                  boolean hasBody, int bufferSize, ServletInputStream body) {
        this.request = request;
        this.c2p = request.c2p;
        this.p2c = request.p2c;
        this.p2s = p2s;
        this.worker = worker;
        this.responseHeaders = new ResponseHeaders(request.settings, request.serverName);
        this.requestBody = hasBody && bodyLength != 0 ? new RequestBody(this, body, bodyLength, bufferSize) : null;
        // a client's "Content-Length: 0" goes on as an empty entity: HttpClient frames the body itself and
        // refuses a request that already carries a Content-Length header
        this.entity = requestBody != null ? requestBody : hasBody ? new BasicAsyncEntityProducer(EMPTY, null) : null;
        this.end = new ExchangeEnd(id, worker, async, () -> request.exchangeEnded(worker,
                new ExchangeListener.End(status, failedAs, clientGone, System.nanoTime() - startNanos)));
        this.answer = new ClientAnswer(id, c2p, p2c, worker, end);
        this.probe = ContinueProbe.of(worker.config(), requestBody != null);
        if (probe != null) {
            probe.expect(p2s);
        }
        worker.requestStarted();
    }

    void start(BackendChannel client) {
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
        worker.addBytesTransferred(RequestHeaders.wireLength(p2s));
        if (probe != null) {
            probe.sent();
        }
        channel.sendRequest(p2s, entity, context);
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
        if (probe != null) {
            probe.bodyAsked(); // a member silent past its ping fails the attempt here, before its body is read
        }
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
    public void consumeInformation(HttpResponse response, HttpContext context) throws HttpException {
        // tunnels go through UpgradeExchange: a 101 here is a switch nobody asked for
        UnexpectedUpgrade.refuse(response);
        // other interim 1xx responses cannot be relayed through the Servlet 6.0 API; the final one follows
    }

    @Override
    public void consumeResponse(HttpResponse s2p, EntityDetails entity, HttpContext context) throws IOException {
        if (probe != null) {
            probe.responded();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("#{} S2P {} from {}", id, s2p.getCode(), worker);
        }
        if (clientGone || !headClaimed.compareAndSet(false, true)) {
            throw ClientSideException.gone(); // the client got its answer (or is gone): drop this response with its connection
        }
        status = s2p.getCode();
        // httpd's read counts the status line (without its CRLF) besides the body; header lines are not counted
        String reason = s2p.getReasonPhrase();
        worker.addBytesRead("HTTP/1.1 ".length() + 3 + (reason == null ? 0 : 1 + reason.length()));
        if (request.settings.overridesError(s2p.getCode())) {
            discarding = true; // ProxyErrorOverride: the backend's error body is read and dropped
            request.completed(worker, s2p.getCode(), false, null);
            answer.errorOverridden(s2p);
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
            end.completeOnce();
            return;
        }
        ResponseBody body = new ResponseBody(this, p2c.getOutputStream(), p2c::setContentLengthLong, length, oneShot);
        responseBody = body;
        body.start();
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

    @Override
    public void responseDelivered() {
        end.completeOnce();
    }

    // ---------------------------------------------------------------- failures

    @Override
    public void failed(Exception cause) {
        try {
            ClientSideException client = ClientSideException.in(cause);
            if (client != null) {
                // the client's failure travelled through HttpClient's callbacks: it is not the backend's
                clientFailed(client);
                return;
            }
            backendFailed(cause);
        } catch (RuntimeException e) { // never into the I/O reactor: it would shut down, and its workers with it
            LOG.error("#{} {} to {}: handling the failure ({}) failed", id, answer.what(), worker, ClientAnswer.describe(cause), e);
            end.completeOnce();
        }
    }

    @Override
    public void cancel() {
        // cancelled by us (client gone) or by the client shutting down: nothing left to answer
        end.completeOnce();
    }

    /**
     * The backend failed this attempt: the failure is classified, the remedies it leaves are decided from
     * what had happened by then, and they are tried in order (resend, fail over, answer the client).
     */
    private void backendFailed(Exception cause) {
        if (end.claimed()) {
            return;
        }
        ResponseBody body = responseBody;
        BackendFailure failure = BackendFailure.classify(cause, requestSent, requestBody == null || requestBody.fullySent());
        List<Remedy> plan = Remedy.plan(failure, BackendFailure.resendable(cause,
                BackendFailure.idempotentWithoutBody(p2s.getMethod(), requestBody != null)), body != null,
                headClaimed.get(), requestBody == null || requestBody.untouched());
        for (Remedy remedy : plan) {
            if (remedy != Remedy.RESEND) {
                failedAs = failure.kind(); // a resend taken is no failure the listener hears of
            }
            switch (remedy) {
                case RESEND -> {
                    if (request.resend(worker, ClientAnswer.describe(cause))) {
                        handOver();
                        return;
                    }
                }
                case FAIL_OVER -> {
                    if (request.failOver(worker, failure.kind(), System.currentTimeMillis())) {
                        // one line per failure: when no other member takes over, answer() says what the client got
                        LOG.warn("#{} {} to {} failed ({}): {} -> balancer://{} fails over", id, answer.what(),
                                worker, failure.kind(), ClientAnswer.describe(cause), request.balancerName());
                        handOver();
                        return;
                    }
                }
                case ANSWER -> {
                    if (!plan.contains(Remedy.FAIL_OVER)) {
                        // a failover that was refused has been counted by the balancer's attempts already
                        request.completed(worker, failure.status(), failure.kind().timedOut(), null);
                    }
                    answer(failure, cause, body);
                }
            }
        }
    }

    /** Another attempt (a resend, a failover) takes the request over: this one ends without answering. */
    private void handOver() {
        if (end.claim()) {
            end.releaseWorker();
        }
    }

    /** Tells the client that the backend failed: an error page while nothing reached it, else an aborted connection. */
    private void answer(BackendFailure failure, Exception cause, ResponseBody body) {
        if (body != null && body.abandon()) {
            return; // the response had been delivered in full
        }
        // nothing has reached the client yet (no body byte was flushed): it can still get a proper error
        boolean nothingSent = body == null || !p2c.isCommitted();
        if (end.claim()) {
            if (nothingSent) {
                headClaimed.set(true);
                answer.errorPage(failure, cause);
            } else {
                answer.abortAfterBackendFailure(cause);
            }
        }
    }

    /**
     * The client failed: its body could not be read (malformed, or the client went away mid-body) or the
     * response could not be written. The backend exchange is aborted, never completed as if the body had
     * ended, and the member is not blamed. A client whose body failed gets 400 if nothing was answered yet.
     * Called from container threads and the reactor; acts once.
     */
    @Override
    public void clientFailed(ClientSideException failure) {
        clientGone = true;
        // the end claimed first: a backend failure that aborting reports must not try to answer the client
        boolean first = end.claim();
        abortBackend(failure);
        if (!first) {
            return;
        }
        Throwable cause = failure.clientCause();
        if (!failure.whileReading()) {
            answer.abandoned(cause);
        } else if (headClaimed.compareAndSet(false, true)) {
            answer.badRequest(cause);
        } else {
            answer.abortAfterBodyFailure(cause);
        }
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

    @Override
    public void releaseResources() {
    }
}
