package org.portico.backend.loop;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.ProtocolIOSession;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.reactor.ssl.SSLSessionInitializer;
import org.apache.hc.core5.reactor.ssl.SSLSessionVerifier;
import org.apache.hc.core5.reactor.ssl.TlsDetails;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * HttpCore's view of one backend connection, made of a Jetty endpoint: what HttpCore's HTTP/1.1 duplexer reads,
 * writes, queues and asks for. Reads and writes never block: a read that finds nothing returns 0, and a write the
 * socket cannot take whole hands the rest to the endpoint (Jetty then waits for the socket itself) and takes no more
 * until that rest went out, so at most one duplexer buffer waits here. Interest in reading or writing goes to
 * {@link Events}, which decides who runs the duplexer next. Thread-safe: writes and changes of the event mask happen under
 * {@link #getLock()}, as in HttpCore's own session; reads only on the thread that runs the duplexer.
 */
final class EndPointSession implements ProtocolIOSession {

    /** What the connection is told of the duplexer's wishes and of the endpoint's writes. */
    interface Events {
        /** The duplexer wants its {@code onOutput}: it has bytes, a command or a body to send. */
        void writeWanted();

        /** The duplexer wants its {@code onInput} when bytes arrive. */
        void readWanted();

        /** A write the socket could not take at once has gone out. */
        void flushed();

        /** A write the socket could not take at once failed. */
        void writeFailed(Throwable cause);
    }

    private static final AtomicLong IDS = new AtomicLong();

    private final String id = "portico-loop-" + IDS.incrementAndGet();
    private final EndPoint endPoint;
    private final NamedEndpoint target;
    private final Events events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Command> commands = new ConcurrentLinkedDeque<>();
    private volatile int eventMask = SelectionKey.OP_READ;
    /** The rest of a write the socket did not take, on its way out; written under {@link #lock}. */
    private volatile ByteBuffer pending;
    private volatile long lastRead;
    /** Bytes taken by {@link #write}; written under {@link #lock}. */
    private volatile long written;
    /** Bytes returned by {@link #read}; written only by the thread that runs the duplexer. */
    private volatile long read;
    private volatile long lastWrite;

    EndPointSession(EndPoint endPoint, NamedEndpoint target, Events events) {
        this.endPoint = endPoint;
        this.target = target;
        this.events = events;
        this.lastRead = this.lastWrite = System.currentTimeMillis();
    }

    /** Queues a command and wants output without announcing it: the caller runs the duplexer itself. */
    void enqueueQuietly(Command command) {
        commands.addLast(command);
        lock.lock();
        try {
            eventMask |= SelectionKey.OP_WRITE;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a write is waiting for the socket: the duplexer must not be asked for output until it is out. */
    boolean writeBlocked() {
        return pending != null;
    }

    /** Bytes taken by writes so far: whether a call to the duplexer made progress. */
    long written() {
        return written;
    }

    /** Bytes read and written so far: it changes with every byte that moves, so an idle notice can tell it came late. */
    long traffic() {
        return read + written;
    }

    // ------------------------------------------------------------ bytes

    @Override
    public int read(ByteBuffer dst) throws IOException {
        // Jetty fills a buffer in flush mode, appending after its limit; HttpCore hands one in fill mode
        ByteBuffer view = dst.slice();
        view.limit(0);
        int n = endPoint.fill(view);
        if (n > 0) {
            dst.position(dst.position() + n);
            read += n;
            lastRead = System.currentTimeMillis();
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        lock.lock();
        try {
            if (pending != null || !src.hasRemaining()) {
                return 0;
            }
            int n = src.remaining();
            if (!endPoint.flush(src)) {
                ByteBuffer rest = ByteBuffer.allocate(src.remaining());
                rest.put(src).flip();
                pending = rest;
                endPoint.write(Callback.from(Invocable.InvocationType.NON_BLOCKING, this::restWritten, this::restFailed), rest);
            }
            lastWrite = System.currentTimeMillis();
            written += n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void restWritten() {
        pending = null;
        events.flushed();
    }

    private void restFailed(Throwable cause) {
        events.writeFailed(cause);
    }

    @Override
    public boolean isOpen() {
        return endPoint.isOpen();
    }

    @Override
    public ByteChannel channel() {
        return this;
    }

    // ------------------------------------------------------------ events and commands

    @Override
    public int getEventMask() {
        return eventMask;
    }

    /**
     * Under {@link #getLock()}, as HttpCore's own session does it: the duplexer clears {@code OP_WRITE} under that lock
     * only if no output was requested since it looked, and a request made meanwhile on another thread (a request body's
     * read callback) must not set its bit between that look and the clearing, or the body stalls with bytes waiting.
     */
    @Override
    public void setEventMask(int ops) {
        int before;
        lock.lock();
        try {
            before = eventMask;
            eventMask = ops;
        } finally {
            lock.unlock();
        }
        announce(ops & ~before);
    }

    @Override
    public void setEvent(int op) {
        lock.lock();
        try {
            eventMask |= op;
        } finally {
            lock.unlock();
        }
        announce(op);
    }

    @Override
    public void clearEvent(int op) {
        lock.lock();
        try {
            eventMask &= ~op;
        } finally {
            lock.unlock();
        }
    }

    private void announce(int ops) {
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            events.writeWanted();
        }
        if ((ops & SelectionKey.OP_READ) != 0) {
            events.readWanted();
        }
    }

    @Override
    public void enqueue(Command command, Command.Priority priority) {
        if (priority == Command.Priority.IMMEDIATE) {
            commands.addFirst(command);
        } else {
            commands.addLast(command);
        }
        setEvent(SelectionKey.OP_WRITE);
    }

    @Override
    public boolean hasCommands() {
        return !commands.isEmpty();
    }

    @Override
    public Command poll() {
        return commands.poll();
    }

    @Override
    public Lock getLock() {
        return lock;
    }

    // ------------------------------------------------------------ the connection

    @Override
    public String getId() {
        return id;
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return endPoint.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return endPoint.getLocalSocketAddress();
    }

    @Override
    public NamedEndpoint getInitialEndpoint() {
        return target;
    }

    @Override
    public void close() {
        endPoint.close();
    }

    @Override
    public void close(CloseMode closeMode) {
        endPoint.close();
    }

    @Override
    public Status getStatus() {
        return endPoint.isOpen() ? Status.ACTIVE : Status.CLOSED;
    }

    /** The endpoint's idle timeout: Jetty's scheduler watches it as HttpCore's reactor watches a socket timeout. */
    @Override
    public Timeout getSocketTimeout() {
        return Timeout.ofMilliseconds(endPoint.getIdleTimeout());
    }

    @Override
    public void setSocketTimeout(Timeout timeout) {
        endPoint.setIdleTimeout(Timeout.isPositive(timeout) ? timeout.toMilliseconds() : 0);
    }

    @Override
    public long getLastReadTime() {
        return lastRead;
    }

    @Override
    public long getLastWriteTime() {
        return lastWrite;
    }

    @Override
    public long getLastEventTime() {
        return Math.max(lastRead, lastWrite);
    }

    @Override
    public void updateReadTime() {
        lastRead = System.currentTimeMillis();
    }

    @Override
    public void updateWriteTime() {
        lastWrite = System.currentTimeMillis();
    }

    /** The duplexer is driven by {@link LoopConnection}, not by an HttpCore reactor. */
    @Override
    public IOEventHandler getHandler() {
        return null;
    }

    @Override
    public void upgrade(IOEventHandler handler) {
        throw new UnsupportedOperationException("a loop connection speaks HTTP/1.1 only");
    }

    @Override
    public void startTls(SSLContext sslContext, NamedEndpoint endpoint, SSLBufferMode sslBufferMode,
                         SSLSessionInitializer initializer, SSLSessionVerifier verifier, Timeout handshakeTimeout) {
        throw new UnsupportedOperationException("a loop connection carries plain HTTP/1.1 only");
    }

    @Override
    public TlsDetails getTlsDetails() {
        return null;
    }

    @Override
    public String toString() {
        return id + "[" + endPoint.getLocalSocketAddress() + "->" + endPoint.getRemoteSocketAddress() + "]";
    }
}
