package org.portico.backend.loop;

import java.io.IOException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.SelectionKey;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexer;
import org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexerFactory;
import org.apache.hc.core5.http.nio.command.CommandSupport;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.net.NamedEndpoint;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;

/**
 * One HTTP/1.1 backend connection on the Jetty server's own selector: HttpCore's client duplexer (the one HttpClient
 * runs, so framing, keep-alive, 100-continue and failures are HttpClient's) over a Jetty endpoint. The selector thread
 * that finds the backend's answer readable runs the duplexer itself ({@link #getInvocationType} is non-blocking), so
 * the answer reaches the client's response without a hand-off to another thread, and the thread that starts an
 * exchange writes its request itself.
 *
 * <p>The duplexer is run by one thread at a time, as an HttpCore reactor would run it ({@link SerialWork}): whoever has
 * work for it (the selector, a request thread starting an exchange, the idle timer, a close) flags the work and runs it
 * unless another thread is running it already, which then takes the flagged work before it lets go. Output the duplexer asks for
 * from another thread while that thread is inside the duplexer (a request body written from the client's read
 * callback) is run on the container's executor, never inline. Thread-safe.
 */
final class LoopConnection extends AbstractConnection implements EndPointSession.Events {

    /** Told when a connection has finished with an exchange or is gone. */
    interface Owner {
        /** The connection closed; it takes no more exchanges. */
        void closed(LoopConnection connection);
    }

    private static final int OPEN = 1;
    private static final int INPUT = 2;
    private static final int OUTPUT = 4;
    private static final int TIMEOUT = 8;
    private static final int CLOSED = 16;

    private final EndPointSession session;
    private final ClientHttp1StreamDuplexer duplexer;
    private final Owner owner;
    private final SerialWork work = new SerialWork(this::step);
    /** Bytes arrived while the duplexer did not want them (backpressure): they are read when it asks again. */
    private final AtomicBoolean readable = new AtomicBoolean();
    private volatile boolean closed;
    /** {@link EndPointSession#traffic()} when Jetty last reported the connection idle past its timeout. */
    private volatile long trafficAtIdleNotice;
    /** When this connection last went idle, for the pool's ttl. */
    private volatile long idleSince = System.nanoTime();

    LoopConnection(EndPoint endPoint, Executor executor, NamedEndpoint target, ClientHttp1StreamDuplexerFactory duplexers,
                   Owner owner) {
        super(endPoint, executor);
        this.session = new EndPointSession(endPoint, target, this);
        this.duplexer = duplexers.create(session);
        this.owner = owner;
    }

    /** The selector thread runs {@link #onFillable} itself: the duplexer's callbacks never block. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /** Starts {@code exchange} on this connection, on the calling thread as far as the socket takes it. */
    void execute(RequestExecutionCommand exchange) {
        session.enqueueQuietly(exchange);
        flag(OUTPUT);
        run();
    }

    /** Whether the connection can take another exchange. */
    boolean reusable() {
        return !closed && duplexer.isOpen() && getEndPoint().isOpen();
    }

    /** HttpCore's view of this connection; for tests, which play the duplexer's side of it. */
    EndPointSession session() {
        return session;
    }

    void markIdle() {
        idleSince = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSince;
    }

    /** Closes the connection at once; its exchange, if any, fails. */
    void abort() {
        getEndPoint().close();
    }

    @Override
    public void onOpen() {
        super.onOpen();
        flag(OPEN);
        run();
    }

    @Override
    public void onFillable() {
        if ((session.getEventMask() & SelectionKey.OP_READ) == 0) {
            readable.set(true); // read when the duplexer asks again (readWanted)
            // it may have asked between our look and the set: its readWanted then found nothing to take and (seeing
            // readable) armed no fill interest, so look again; whoever takes readable runs the input
            if ((session.getEventMask() & SelectionKey.OP_READ) == 0 || !readable.compareAndSet(true, false)) {
                return;
            }
        }
        flag(INPUT);
        run();
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        trafficAtIdleNotice = session.traffic();
        flag(TIMEOUT);
        run();
        return false; // the duplexer decides: it fails the exchange and closes, or keeps waiting for a 100
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        flag(CLOSED);
        run();
    }

    // ------------------------------------------------------------ EndPointSession.Events

    @Override
    public void writeWanted() {
        flag(OUTPUT);
        if (!work.isRunner() && !work.isRunning()) {
            getExecutor().execute(this::run);
        }
    }

    @Override
    public void readWanted() {
        if (work.isRunner()) {
            return; // armed when the run ends
        }
        if (readable.compareAndSet(true, false)) {
            flag(INPUT);
            if (!work.isRunning()) {
                getExecutor().execute(this::run);
            }
        } else {
            armRead();
        }
    }

    @Override
    public void flushed() {
        writeWanted();
    }

    @Override
    public void writeFailed(Throwable cause) {
        getEndPoint().close(cause);
    }

    // ------------------------------------------------------------ running the duplexer

    private void flag(int w) {
        work.flag(w);
    }

    private void run() {
        work.run();
    }

    private void step(int w) {
        if (closed) {
            // an exchange queued on a connection that closed meanwhile never left: it may go again (HttpCore's rule)
            CommandSupport.cancelCommands(session);
            return;
        }
        if ((w & CLOSED) != 0) {
            closed = true;
            duplexer.onDisconnect();
            owner.closed(this);
            return;
        }
        try {
            if ((w & OPEN) != 0) {
                duplexer.onConnect();
            }
            if ((w & INPUT) != 0) {
                duplexer.onInput(null);
            }
            if ((w & OUTPUT) != 0 && wantsOutput()) {
                long before = session.written();
                duplexer.onOutput();
                if (wantsOutput() && session.written() != before) {
                    flag(OUTPUT); // more to send (HttpCore's selector would call again at once); never spin without progress
                }
            }
            // last, and only if no byte moved since Jetty's notice, as HttpCore's reactor checks a session's timeout
            // after its I/O events against the time of its last one: an exchange that started on this connection
            // (or an answer that arrived) while the notice waited for this thread is not failed by it; Jetty looks
            // again one timeout later
            if ((w & TIMEOUT) != 0 && session.traffic() == trafficAtIdleNotice) {
                duplexer.onTimeout(session.getSocketTimeout());
            }
        } catch (HttpException | IOException | RuntimeException e) {
            duplexer.onException(e);
        }
        if (!closed && getEndPoint().isOpen() && (session.getEventMask() & SelectionKey.OP_READ) != 0) {
            if (readable.compareAndSet(true, false)) {
                flag(INPUT); // bytes held back while the duplexer did not want them
            } else {
                armRead();
            }
        }
    }

    private boolean wantsOutput() {
        return (session.getEventMask() & SelectionKey.OP_WRITE) != 0 && !session.writeBlocked();
    }

    private void armRead() {
        if (readable.get() || !getEndPoint().isOpen() || isFillInterested()) {
            return;
        }
        try {
            fillInterested();
        } catch (ReadPendingException already) {
            // another thread armed it meanwhile
        }
    }

    @Override
    public String toConnectionString() {
        return session + "{" + duplexer + "}";
    }
}
