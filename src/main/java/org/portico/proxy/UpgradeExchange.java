package org.portico.proxy;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.portico.balancer.Failure;
import org.portico.balancer.Worker;
import org.portico.config.WorkerParams;
import org.portico.tunnel.BackendHandshake;
import org.portico.tunnel.ClientSwitch;
import org.portico.tunnel.ResponseBodyStream;
import org.portico.tunnel.Tunnel;
import org.portico.tunnel.TunnelEnd;
import org.portico.tunnel.Tunnels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of an upgrade request on a worker that allows its protocol, as mod_proxy_http's tunnel
 * does it: the request head goes to the member with {@code Connection: Upgrade} and the client's
 * {@code Upgrade} token; a 101 switches the client's connection ({@link ClientSwitch}) and starts a
 * {@link Tunnel}, any other answer is relayed as the response. The worker counts the attempt as busy
 * until the tunnel closed or the answer was relayed. Directions as in {@link ProxyExchange}.
 */
final class UpgradeExchange {

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeExchange.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final ProxyRequest request;
    private final UpgradeGate gate;
    private final HttpServletRequest c2p;
    private final HttpServletResponse p2c;
    private final Worker worker;
    private final HttpRequest p2s;
    private final String token;
    private final Tunnels tunnels;
    private final ClientSwitch clientSwitch;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final int bufferSize;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean released = new AtomicBoolean();
    /** Whether the hand-over of the client's connection is decided: it came (the tunnel started), or the wait ended. */
    private final AtomicBoolean handOverDecided = new AtomicBoolean();
    private volatile int status;
    private volatile Failure failedAs;

    UpgradeExchange(ProxyRequest request, UpgradeGate gate, Worker worker, HttpRequest p2s, String token, Tunnels tunnels,
                    ClientSwitch clientSwitch) {
        this.request = request;
        this.gate = gate;
        this.c2p = request.c2p;
        this.p2c = request.p2c;
        this.worker = worker;
        this.p2s = p2s;
        this.token = token;
        this.tunnels = tunnels;
        this.clientSwitch = clientSwitch;
        WorkerParams params = worker.config().params();
        this.timeout = params.effectiveTimeout(request.settings);
        this.connectTimeout = params.effectiveConnectTimeout(request.settings);
        this.bufferSize = Math.max(16 * 1024, params.ioBufferSize() * 2);
    }

    /** The request head as it goes on the wire; httpd puts Connection and Upgrade last. */
    static byte[] head(HttpRequest p2s, String token) {
        StringBuilder b = new StringBuilder(512);
        b.append(p2s.getMethod()).append(' ').append(p2s.getRequestUri()).append(" HTTP/1.1\r\n");
        for (Iterator<Header> it = p2s.headerIterator(); it.hasNext(); ) {
            Header h = it.next();
            b.append(h.getName()).append(": ").append(h.getValue()).append("\r\n");
        }
        b.append("Connection: Upgrade\r\nUpgrade: ").append(token).append("\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    void start() {
        byte[] head = head(p2s, token);
        worker.requestStarted();
        worker.addBytesTransferred(head.length);
        LOG.debug("#{} P2S {} {} via {}, Upgrade: {}", id, p2s.getMethod(), p2s.getRequestUri(), worker, token);
        javax.net.ssl.SSLContext tls;
        try {
            tls = worker.config().secure() ? tunnels.tls(worker.config().params().trustStore()) : null;
        } catch (IllegalStateException e) {
            handshaken(new BackendHandshake.Failed(new IOException(e.getMessage(), e), false));
            return;
        }
        new BackendHandshake(tunnels, worker.config().host(), worker.config().port(), head, tls, connectTimeout, timeout,
                bufferSize, this::handshaken).start();
    }

    private void handshaken(BackendHandshake.Outcome outcome) {
        try {
            if (outcome instanceof BackendHandshake.NotConnected n) {
                notConnected(n.cause());
            } else if (outcome instanceof BackendHandshake.Failed f) {
                failed(f);
            } else if (outcome instanceof BackendHandshake.Answered a) {
                answered(a);
            } else if (outcome instanceof BackendHandshake.Switched s) {
                switched(s);
            }
        } catch (RuntimeException e) {
            LOG.error("#{} {} {} to {}: the handshake's outcome could not be handled -> 500", id, c2p.getMethod(),
                    c2p.getRequestURI(), worker, e);
            release();
            request.answer(500, null);
        }
    }

    private void notConnected(IOException cause) {
        BackendFailure failure = BackendFailure.classify(cause, false, true);
        failedAs = failure.kind();
        release();
        if (request.failOver(worker, failure.kind(), System.currentTimeMillis())) {
            LOG.warn("#{} {} {} to {} failed ({}): {} -> balancer://{} fails over", id, c2p.getMethod(), c2p.getRequestURI(),
                    worker, failure.kind(), cause.toString(), request.balancerName());
            return;
        }
        LOG.warn("#{} {} {} to {}: {} -> {}", id, c2p.getMethod(), c2p.getRequestURI(), worker, cause.toString(), failure.status());
        request.answer(failure.status(), failure.reason());
    }

    private void failed(BackendHandshake.Failed f) {
        IOException cause = f.timedOut() ? new SocketTimeoutException(f.cause().getMessage()) : f.cause();
        BackendFailure failure = BackendFailure.classify(cause, true, true);
        failedAs = failure.kind();
        release();
        request.completed(worker, failure.status(), failure.kind().timedOut(), null);
        LOG.warn("#{} {} {} to {}: no answer to the upgrade ({}) -> {}", id, c2p.getMethod(), c2p.getRequestURI(), worker,
                f.cause().toString(), failure.status());
        request.answer(failure.status(), failure.reason());
    }

    /** The backend refused the upgrade: its answer goes to the client as an ordinary response. */
    private void answered(BackendHandshake.Answered a) {
        status = a.head().getCode();
        request.completed(worker, status, false, () -> new HeaderValues(a.head(), "Set-Cookie"));
        LOG.debug("#{} S2P {} to the upgrade: relayed", id, status);
        if (!gate.finish(() -> relay(a))) {
            closeQuietly(a.body());
            release();
        }
    }

    private void relay(BackendHandshake.Answered a) throws IOException {
        try (ResponseBodyStream body = a.body()) {
            request.responseHeaders().copy(a.head(), p2c, c2p, body.length());
            ServletOutputStream out = p2c.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                worker.addBytesRead(n);
                out.write(buffer, 0, n);
            }
        } finally {
            release();
        }
    }

    private void switched(BackendHandshake.Switched s) {
        status = 101;
        Header upgrade = s.head().getFirstHeader("Upgrade");
        if (upgrade == null || !upgrade.getValue().trim().equalsIgnoreCase(token)) {
            // httpd: the backend must switch to the protocol asked for
            String reason = "Unexpected Upgrade: " + (upgrade == null ? "" : upgrade.getValue()) + " (expecting " + token + ")";
            s.backend().close();
            failedAs = Failure.BAD_RESPONSE;
            release();
            request.completed(worker, 502, false, null);
            LOG.warn("#{} {} {} to {}: {} -> 502", id, c2p.getMethod(), c2p.getRequestURI(), worker, reason);
            request.answer(502, reason);
            return;
        }
        request.completed(worker, 101, false, () -> new HeaderValues(s.head(), "Set-Cookie"));
        if (!gate.finish(() -> switchClient(s))) {
            s.backend().close();
            release();
        }
    }

    /** On the service thread: the 101 goes to the client with the backend's headers, and the tunnel opens behind it. */
    private void switchClient(BackendHandshake.Switched s) throws IOException, ServletException {
        BasicHttpResponse head = s.head();
        try {
            request.responseHeaders().copy(head, p2c, c2p, -1);
            p2c.setHeader("Upgrade", head.getFirstHeader("Upgrade").getValue());
            p2c.setHeader("Connection", "Upgrade");
            // the request is recycled once the connection is handed over: its URI is read now
            String name = "#" + id + " " + c2p.getRequestURI() + " to " + worker;
            clientSwitch.upgrade(c2p, bufferSize, client -> open(name, client, s.backend()));
            // a container that never hands the connection over (the client left before the 101 went out) must not
            // keep the member's connection and busy count: after the worker's timeout they are let go
            tunnels.timer().schedule(() -> {
                if (handOverDecided.compareAndSet(false, true)) {
                    LOG.info("#{}: the client's connection was not handed over within {} ms: the member's is closed", id,
                            timeout.toMillis());
                    s.backend().close();
                    release();
                }
            }, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (IOException | ServletException | RuntimeException e) {
            s.backend().close();
            release();
            LOG.warn("#{} {} {}: the client's connection could not be switched ({}) -> 500", id, c2p.getMethod(),
                    c2p.getRequestURI(), e.toString());
            if (!p2c.isCommitted()) {
                p2c.reset();
                ErrorPage.send(c2p, p2c, 500, null);
            }
        }
    }

    private void open(String name, TunnelEnd client, TunnelEnd backend) {
        if (!handOverDecided.compareAndSet(false, true)) {
            client.close(); // too late: the member's side was let go
            return;
        }
        new Tunnel(name, client, backend, timeout, tunnels.timer(), worker::addBytesTransferred, worker::addBytesRead,
                this::release).start();
    }

    /** Takes the attempt off the worker's busy count, once, and tells the exchange listener. */
    private void release() {
        if (released.compareAndSet(false, true)) {
            worker.requestEnded();
            request.exchangeEnded(worker, new ExchangeListener.End(status, failedAs, false, System.nanoTime() - startNanos));
        }
    }

    private static void closeQuietly(ResponseBodyStream body) {
        body.close();
    }
}
