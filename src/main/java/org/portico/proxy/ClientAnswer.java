package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.portico.balancer.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client of a failed exchange gets (P2C), each with its one log line tagged by the exchange id:
 * an error page while nothing reached it, the end of a response it will no longer read, or an aborted
 * connection once the response has started. The caller has claimed the exchange's end (except for
 * {@link #errorOverridden}, which claims it).
 */
final class ClientAnswer {

    /** Logged as the exchange: one logger tells a request's story. */
    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);

    /** The request attribute under which an async re-dispatch finds the exchange that failed mid-body. */
    static final String ABORTED = ClientAnswer.class.getName() + ".aborted";

    private final long id;
    private final HttpServletRequest c2p;
    private final HttpServletResponse p2c;
    private final Worker worker;
    private final ExchangeEnd end;
    /**
     * "METHOD /uri", taken at once: a container recycles the request object once its response completed (Tomcat
     * then throws from every getter), and a late failure report must still be able to say which request it was.
     */
    private final String what;

    ClientAnswer(long id, HttpServletRequest c2p, HttpServletResponse p2c, Worker worker, ExchangeEnd end) {
        this.id = id;
        this.what = c2p.getMethod() + " " + c2p.getRequestURI();
        this.c2p = c2p;
        this.p2c = p2c;
        this.worker = worker;
        this.end = end;
    }

    /** "METHOD /uri" of the request, for log lines. */
    String what() {
        return what;
    }

    /** The backend failed before anything reached the client: httpd's error page for the failure. */
    void errorPage(BackendFailure failure, Throwable cause) {
        LOG.warn("#{} {} to {} failed: {} -> {}", id, what, worker,
                describe(cause), failure.status());
        try {
            ErrorPage.send(c2p, p2c, failure.status(), failure.status() == 503 ? null : failure.reason());
        } catch (IOException | IllegalStateException e) {
            LOG.debug("#{} could not send the error page", id, e);
        }
        end.completeClientResponse();
    }

    /**
     * ProxyErrorOverride: Portico's page in place of the backend's error, whose body the exchange drops;
     * a 401 keeps its WWW-Authenticate challenge, as httpd does.
     */
    void errorOverridden(HttpResponse s2p) throws IOException {
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
        end.completeOnce();
    }

    /** The backend failed after the response started: a truncated body must never look complete. */
    void abortAfterBackendFailure(Throwable cause) {
        LOG.warn("#{} {} to {} failed after the response started: {} -> client connection aborted",
                id, what, worker, describe(cause));
        abortConnection(cause);
    }

    /** The client went away while its response was being written: nobody is left to answer. */
    void abandoned(Throwable cause) {
        LOG.info("#{} {} to {}: the client went away ({}) -> response abandoned, backend exchange aborted",
                id, what, worker, describe(cause));
        end.completeClientResponse();
    }

    /** The client's body failed before any answer: 400, if the client is still there to read it. */
    void badRequest(Throwable cause) {
        String answered;
        try {
            ErrorPage.send(c2p, p2c, 400, null);
            answered = "400";
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the container took the answer over (Tomcat: sendError(400) and a close)
            answered = "no answer from Portico (" + describe(e) + ")";
        }
        LOG.warn("#{} {} to {}: the request body failed ({}) -> {}, backend exchange aborted",
                id, what, worker, describe(cause), answered);
        end.completeClientResponse();
    }

    /** The client's body failed after the response started. */
    void abortAfterBodyFailure(Throwable cause) {
        LOG.warn("#{} {} to {}: the request body failed ({}) after the response started -> client connection "
                + "aborted, backend exchange aborted", id, what, worker, describe(cause));
        abortConnection(cause);
    }

    /** Only an exception makes the container drop the connection: it is thrown from the async re-dispatch. */
    private void abortConnection(Throwable cause) {
        c2p.setAttribute(ABORTED, cause);
        end.dispatchToContainer();
    }

    static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
