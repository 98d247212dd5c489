package org.portico.proxy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * The client's response stream, in non-blocking mode for the whole of one proxied request; each
 * attempt's {@link ProxyExchange} attaches to it in turn.
 *
 * <p>Why it is set up on the container's thread when the request goes async: a write listener set
 * later, from HttpClient's reactor, makes the container dispatch its first {@code onWritePossible}
 * to a pool thread, one thread hand-off per response; set during {@code service()}, the container
 * calls it once on its own thread as the servlet returns, and the reactor then writes while
 * {@code isReady()} holds without any dispatch. Thread-safe.
 */
final class ResponseOutput implements WriteListener {

    private final ServletOutputStream out;
    private volatile ProxyExchange exchange;
    private volatile Throwable failure;

    ResponseOutput(ServletOutputStream out) {
        this.out = out;
        out.setWriteListener(this);
    }

    ServletOutputStream stream() {
        return out;
    }

    /** The attempt now in charge of the response; told at once if the client has already failed. */
    void attach(ProxyExchange attempt) {
        exchange = attempt;
        Throwable f = failure;
        if (f != null) {
            attempt.clientFailed(f);
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        ProxyExchange e = exchange;
        if (e != null) {
            e.writePossible();
        }
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        ProxyExchange e = exchange;
        if (e != null) {
            e.clientFailed(t);
        }
    }
}
