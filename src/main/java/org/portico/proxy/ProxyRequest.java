package org.portico.proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.portico.backend.BackendChannel;
import org.portico.balancer.Attempts;
import org.portico.balancer.Balancer;
import org.portico.balancer.Failure;
import org.portico.balancer.FailoverPolicy;
import org.portico.balancer.Selection;
import org.portico.balancer.Worker;
import org.portico.config.ProxySettings;
import org.portico.routing.Mapping;
import org.portico.tunnel.ClientSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way to a backend, across the attempts httpd's retry loop allows: it
 * chooses the member (sticky route, lbmethod, balancer {@code timeout} wait), sends one
 * {@link ProxyExchange} per attempt, and fails over to another member when an attempt could not
 * connect. A failed-over request's body is never lost: the client's body is only read once a
 * backend connection exists, so an attempt that could not connect has not touched it.
 */
final class ProxyRequest {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRequest.class);
    /**
     * How often one request may go out again to the same worker after a connection failure that is not the
     * member's fault (see {@link BackendFailure#resendable}); one usually suffices, since the worker's idle
     * connections are closed with the first. Beyond this, the failure counts as the member's.
     */
    static final int MAX_RESENDS = 2;
    /**
     * How long the service thread of an upgrade request waits at most for its handshake: a safety net, since the
     * balancer's wait, the connect timeout and the worker's timeout bound every path already.
     */
    static final java.time.Duration MAX_UPGRADE_WAIT = java.time.Duration.ofMinutes(10);

    final HttpServletRequest c2p;
    final HttpServletResponse p2c;
    final ProxySettings settings;
    final String serverName;
    private final Gateway gateway;
    private final GatewayHold hold;
    private final Mapping mapping;
    private final Gateway.Destination destination;
    private final int maxForwards;
    private final long contentLength;
    private final boolean chunked;
    private final boolean forwardExpect;
    private volatile AsyncContext async;
    /** A chunked body's first bytes, read before the first attempt; null when none is read ahead. */
    private volatile BodyPrefetch prefetch;
    private Attempts attempts;
    private volatile Selection selection;
    /** The latest attempt's worker, client and path, for {@link #resend}. */
    private volatile Attempt last;
    private volatile int resends;
    /** The client's Upgrade token when a worker of the destination may tunnel it, else null. */
    private final String upgradeToken;
    /** Set for an upgrade request: its answer is made on the service thread ({@link UpgradeGate}). */
    private final UpgradeGate gate;
    private final ClientSwitch clientSwitch;

    private record Attempt(Worker worker, BackendChannel client, String path) {
    }

    ProxyRequest(GatewayHold hold, HttpServletRequest c2p, HttpServletResponse p2c, Mapping mapping,
                 ProxySettings settings, int maxForwards, ClientSwitch clientSwitch) {
        this.hold = hold;
        this.gateway = hold.gateway();
        this.c2p = c2p;
        this.p2c = p2c;
        this.mapping = mapping;
        this.destination = gateway.destination(mapping.rule());
        this.settings = settings;
        this.maxForwards = maxForwards;
        this.serverName = settings.serverName() != null ? settings.serverName() : c2p.getServerName();
        this.contentLength = c2p.getContentLengthLong();
        this.chunked = c2p.getHeader("Transfer-Encoding") != null;
        this.forwardExpect = hasBody() && settings.proxy100Continue()
                && "100-continue".equalsIgnoreCase(c2p.getHeader("Expect"));
        this.clientSwitch = clientSwitch;
        String token = hasBody() ? null : UpgradeRequest.token(c2p);
        this.upgradeToken = token != null && UpgradeRequest.mayAllow(destination, token) ? token : null;
        this.gate = upgradeToken == null ? null : new UpgradeGate();
    }

    private boolean hasBody() {
        return contentLength > 0 || chunked;
    }

    /**
     * Goes async and sends the first attempt; an upgrade request that a worker may tunnel stays on this
     * thread until its handshake is decided instead ({@link UpgradeGate}).
     */
    void start() throws IOException, ServletException {
        if (gate != null) {
            routeSafely();
            gate.await(MAX_UPGRADE_WAIT, () -> {
                LOG.error("{} {}: no decision on the upgrade after {} -> 504", c2p.getMethod(), c2p.getRequestURI(), MAX_UPGRADE_WAIT);
                ErrorPage.send(c2p, p2c, 504, null);
            });
            return;
        }
        goAsync();
        if (chunked && !forwardExpect) {
            BodyPrefetch p = new BodyPrefetch(c2p.getInputStream(), this::routeSafely, this::prefetchFailed);
            prefetch = p;
            p.start();
            return;
        }
        routeSafely();
    }

    private void goAsync() {
        async = c2p.startAsync(c2p, p2c);
        hold.handOver(async); // the request keeps its generation until the response is complete
        async.setTimeout(0);
    }

    private void routeSafely() {
        try {
            route();
        } catch (IOException | RuntimeException e) {
            // nothing else would ever complete the async request: the client would wait until it gives up
            LOG.error("{} {}: unexpected failure before the request went out -> 500", c2p.getMethod(), c2p.getRequestURI(), e);
            if (!p2c.isCommitted()) {
                answer(500, null);
            }
        }
    }

    private void prefetchFailed(Throwable cause) {
        // the client's body broke before any of it went anywhere (a bad chunk, a client gone)
        LOG.warn("{} {}: the client's body failed while it was read ahead: {} -> 400", c2p.getMethod(), c2p.getRequestURI(),
                cause.toString());
        answer(400, null);
    }

    private void route() throws IOException {
        if (mapping.target().gluedToName()) {
            // httpd glues the strings: balancer://foo + name/r names a balancer "fooname", which it answers with
            // 500; into a worker's host or port it would be a different server, which Portico does not allow
            int status = mapping.target().isBalancer() ? 500 : 400;
            LOG.warn("{} {}: {} gives {}, whose path runs into the {} -> {}", c2p.getMethod(), c2p.getRequestURI(),
                    mapping.rule(), mapping.target(), mapping.target().isBalancer() ? "balancer's name" : "authority", status);
            answer(status, null);
            return;
        }
        Balancer balancer = destination.balancer();
        if (balancer == null) {
            send(destination.worker(), destination.client(), mapping.target().pathOn(""));
            return;
        }
        attempts = balancer.attempts();
        choose(select(balancer));
    }

    private void choose(Selection s) throws IOException {
        selection = s;
        Balancer balancer = destination.balancer();
        if (s.mustWait()) {
            // httpd sleeps in the balancer timeout loop; we come back later without holding a thread
            long delay = Math.max(1, s.retryAtMillis() - System.currentTimeMillis());
            later(() -> choose(balancer.retry(s, System.currentTimeMillis())), delay);
            return;
        }
        if (s.unavailable()) {
            LOG.warn("balancer://{}: {}; {} {} -> 503", balancer.name(), s.reason(), c2p.getMethod(), c2p.getRequestURI());
            answer(503, null);
            return;
        }
        Worker w = s.worker();
        // httpd's BALANCER_* variables, as request attributes for the application
        s.environment().forEach(c2p::setAttribute);
        send(w, gateway.client(w), mapping.target().pathOn(w.config().path()));
    }

    private void send(Worker worker, BackendChannel client, String path) throws IOException {
        if (gate != null) {
            // the one place that decides: an upgrade request to a worker that allows its protocol is tunnelled
            if (worker.config().upgrade().allows(upgradeToken)) {
                new UpgradeExchange(this, gate, worker, backendRequest(worker, path), upgradeToken,
                        gateway.tunnels(), clientSwitch).start();
            } else if (!gate.finish(() -> {
                // as httpd: another member goes on as an ordinary request, without the Upgrade header
                goAsync();
                sendHttp(worker, client, path);
            })) {
                LOG.warn("{} {}: the upgrade request was answered already", c2p.getMethod(), c2p.getRequestURI());
            }
            return;
        }
        sendHttp(worker, client, path);
    }

    private BackendRequest backendRequest(Worker worker, String path) {
        String target = path.isEmpty() ? "/" : path;
        String query = c2p.getQueryString();
        if (query != null && !mapping.rule().noquery()) {
            target = target + '?' + query;
        }
        BackendRequest p2s = new BackendRequest(c2p.getMethod(), worker.config(), target);
        RequestHeaders.copy(c2p, p2s, settings, worker.config(), serverName, maxForwards, forwardExpect);
        if (!worker.config().backendScheme().http()) {
            Selection s = selection;
            p2s.client(ClientFacts.of(c2p, serverName, s == null ? null : s.sessionRoute()));
        }
        if (worker.config().backendScheme().http2()) {
            // HTTP/2 carries the host in :authority, the worker's (HttpClient routes by it); a Host field beside
            // it is a duplicate that nginx answers with 400
            p2s.removeHeaders("Host");
        }
        return p2s;
    }

    private void sendHttp(Worker worker, BackendChannel client, String path) throws IOException {
        last = new Attempt(worker, client, path);
        BackendRequest p2s = backendRequest(worker, path);
        BodyPrefetch read = prefetch;
        long length = read != null && read.whole() ? read.length() : chunked ? -1 : contentLength;
        ProxyExchange exchange = new ProxyExchange(this, async, p2s, worker, length, hasBody() || contentLength == 0,
                worker.config().params().ioBufferSize() * 2, read != null ? read.stream() : c2p.getInputStream());
        exchange.start(client);
    }

    /** The name of the balancer this request goes through, or null for a direct worker. */
    String balancerName() {
        Balancer b = destination.balancer();
        return b == null ? null : b.name();
    }

    /**
     * An attempt failed before the client's body was touched. Returns true when another member takes
     * the request over (httpd's retry loop), false when the caller answers the client.
     */
    boolean failOver(Worker worker, Failure failure, long nowMillis) {
        if (attempts == null) {
            worker.markError(nowMillis);
            return false;
        }
        FailoverPolicy.Decision d = attempts.failed(worker, failure, nowMillis);
        if (!d.failOver()) {
            return false;
        }
        Balancer balancer = destination.balancer();
        // never re-enter HttpClient from its own failure callback: go through the scheduler
        return later(() -> choose(select(balancer)), 0);
    }

    /**
     * An attempt failed in a way that is not the member's fault and left the request unsent or safe to
     * repeat (see {@link BackendFailure#resendable}): sends it again to the same worker on a fresh connection.
     * Returns false when the resends are used up; the caller then treats the failure as usual.
     */
    boolean resend(Worker worker, String why) {
        Attempt a = last;
        if (a == null || a.worker() != worker || resends >= MAX_RESENDS) {
            return false;
        }
        resends++;
        a.client().closeIdle();
        LOG.info("{} {} to {}: {}; sending it again on a new connection", c2p.getMethod(), c2p.getRequestURI(), worker, why);
        // never re-enter HttpClient from its own failure callback: go through the scheduler
        return later(() -> send(a.worker(), a.client(), a.path()), 0);
    }

    /** The route cookie to add when the balancer re-issues it (route-cookie="true"), or null. */
    String routeCookie() {
        Selection s = selection;
        return s == null || destination.balancer() == null ? null : destination.balancer().routeCookie(s);
    }

    /** After a response (or an error answered in its place): failonstatus and failontimeout, learned affinity. */
    void completed(Worker worker, int status, boolean timedOut, Iterable<String> setCookies) {
        if (attempts != null) {
            long now = System.currentTimeMillis();
            attempts.completed(worker, status, timedOut, now);
            if (setCookies != null && destination.balancer().affinity() != null) {
                destination.balancer().learnAffinity(worker, setCookies, now);
            }
        }
    }

    /** One exchange of this request ended (each attempt's, whatever its outcome): tells the gateway's listener. */
    void exchangeEnded(Worker worker, ExchangeListener.End end) {
        gateway.exchangeListener().ended(worker, end);
    }

    private boolean later(Step step, long delayMillis) {
        try {
            gateway.scheduler().schedule(() -> {
                try {
                    step.run();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("{} {}: {}", c2p.getMethod(), c2p.getRequestURI(), e.toString());
                    answer(502, "Error during failover: " + e.getMessage());
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // shutting down
        }
    }

    /** The response headers' copier of this request's settings. */
    ResponseHeaders responseHeaders() {
        return new ResponseHeaders(settings, serverName);
    }

    /** Answers the client with an error page: on the service thread for an upgrade request still waiting there. */
    void answer(int status, String reason) {
        if (gate != null && gate.finish(() -> ErrorPage.send(c2p, p2c, status, reason))) {
            return;
        }
        try {
            ErrorPage.send(c2p, p2c, status, reason);
        } catch (IOException | IllegalStateException e) {
            LOG.debug("could not send the error page", e);
        }
        try {
            if (async != null) {
                async.complete();
            }
        } catch (IllegalStateException e) {
            LOG.debug("async already completed");
        }
    }


    /** The balancer's choice for this request; the URL and cookies are looked at only when it is sticky. */
    private Selection select(Balancer balancer) {
        long now = System.currentTimeMillis();
        return balancer.config().sticky()
                ? balancer.select(pathAndQuery(), cookies(), now)
                : balancer.selectWithoutSession(now);
    }

    private String pathAndQuery() {
        String q = c2p.getQueryString();
        return q == null ? c2p.getRequestURI() : c2p.getRequestURI() + '?' + q;
    }

    private Iterable<String> cookies() {
        return Collections.list(c2p.getHeaders("Cookie"));
    }

    private interface Step {
        void run() throws IOException;
    }
}
