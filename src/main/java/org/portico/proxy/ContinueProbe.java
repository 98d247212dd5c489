package org.portico.proxy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.portico.config.WorkerConfig;

/**
 * httpd's {@code ping} for an http member (spec §1): a request with a body goes out with
 * {@code Expect: 100-Continue}, and its body waits until the member answers (a 100, or a final status)
 * within the ping time. A member that stays silent never gets the body: the attempt fails with
 * {@link Timeout}, which fails the request over ({@link org.portico.balancer.Failure#PING_TIMEOUT}: 503
 * "Timeout on 100-Continue" when no member is left). The client's body is read only once HttpClient asks
 * for it ({@link RequestBody}), so none of it has been read and the next member gets all of it.
 *
 * <p>HttpClient asks for the body in two cases it does not tell apart: the 100 (or a final status below
 * 400) arrived, or its own wait for one ran out ({@code waitForContinueTimeout}, which
 * the HTTP backend protocol sets to the ping). This probe tells them apart by the time since the request
 * was handed to HttpClient: HttpClient's wait starts after that, so when it runs out the ping has passed.
 * A wait for a pooled connection therefore counts against the ping, where httpd's clock starts once
 * connected. Thread-safe: one exchange's calls come from the reactor, in order.
 */
final class ContinueProbe {

    /** httpd's spelling. */
    static final String EXPECT = "100-Continue";
    /** HttpClient counts its timeouts in whole milliseconds: an answer this close to the end is late. */
    private static final long TOLERANCE_NANOS = Duration.ofMillis(2).toNanos();

    private enum State { NOT_SENT, WAITING, ANSWERED, TIMED_OUT }

    /** The member stayed silent for the ping time: the exchange fails with it, before any body byte left. */
    static final class Timeout extends IOException {
        Timeout(Duration ping) {
            super("Timeout on 100-Continue: no answer within ping " + ping.toMillis() + " ms");
        }
    }

    private final Duration ping;
    private final AtomicReference<State> state = new AtomicReference<>(State.NOT_SENT);
    private volatile long sentNanos;

    private ContinueProbe(Duration ping) {
        this.ping = ping;
    }

    /**
     * The probe for one attempt, or null: httpd probes only members with {@code ping} set (all of Portico's
     * are http or https), and only requests that have a body.
     */
    static ContinueProbe of(WorkerConfig member, boolean hasBody) {
        Duration ping = member.params().ping();
        // an AJP member's ping is its channel's CPING, before any request
        return ping == null || !hasBody || !member.backendScheme().http() ? null : new ContinueProbe(ping);
    }

    /** Adds {@code Expect: 100-Continue} unless the client's request asks for a 100 already, as httpd does. */
    void expect(HttpRequest p2s) {
        for (Header h : p2s.getHeaders("Expect")) {
            if (h.getValue().trim().equalsIgnoreCase(EXPECT)) {
                return;
            }
        }
        p2s.addHeader("Expect", EXPECT);
    }

    /** The request is handed to HttpClient: the member has the ping time from now. */
    void sent() {
        sentNanos = System.nanoTime();
        state.set(State.WAITING);
    }

    /**
     * HttpClient asks for the body.
     *
     * @throws Timeout when the member did not answer within the ping: the body must not go
     */
    void bodyAsked() throws Timeout {
        if (state.get() == State.WAITING) {
            boolean inTime = System.nanoTime() - sentNanos < ping.toNanos() - TOLERANCE_NANOS;
            state.compareAndSet(State.WAITING, inTime ? State.ANSWERED : State.TIMED_OUT);
        }
        if (state.get() == State.TIMED_OUT) {
            throw new Timeout(ping);
        }
    }

    /** A final response arrived; one of 400 or more comes without HttpClient asking for the body. */
    void responded() {
        state.compareAndSet(State.WAITING, State.ANSWERED);
    }
}
