package org.portico.backend.loop;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import org.apache.hc.client5.http.ConnectExceptionSupport;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.net.InetAddressUtils;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The selectors of the Jetty server Portico runs in, and connections to backends opened on them: a backend
 * connection lives on the same event loop as the clients' connections, so one selector thread carries a response from
 * the backend's socket to the client's. The selectors are looked up when the first connection is opened, since a
 * web app starts before Jetty's connectors do. Thread-safe.
 */
final class ServerSelectors {

    /** A connection's socket options. */
    record SocketOptions(boolean keepAlive, int receiveBufferSize) {
    }

    private final Server server;
    private final AtomicInteger next = new AtomicInteger();
    private volatile Found found;

    private record Found(List<ManagedSelector> selectors, Scheduler scheduler, Executor executor) {
    }

    ServerSelectors(Server server) {
        this.server = server;
    }

    /** The scheduler of the server's connector, which times connects and leases. */
    Scheduler scheduler() throws IOException {
        return find().scheduler();
    }

    private Found find() throws IOException {
        Found f = found;
        if (f != null) {
            return f;
        }
        for (Connector c : server.getConnectors()) {
            if (c instanceof ServerConnector sc && sc.isRunning()) {
                List<ManagedSelector> running = new ArrayList<>();
                for (ManagedSelector s : sc.getSelectorManager().getBeans(ManagedSelector.class)) {
                    if (s.isRunning()) {
                        running.add(s);
                    }
                }
                if (!running.isEmpty()) {
                    f = new Found(List.copyOf(running), sc.getScheduler(), sc.getExecutor());
                    found = f;
                    return f;
                }
            }
        }
        throw new ConnectException("no running Jetty ServerConnector to carry backend connections yet");
    }

    /**
     * Opens a connection to {@code target} on one of the server's selectors without blocking the caller;
     * {@code connection} makes the Jetty connection of the new endpoint, given the executor of the server's connector. Exactly one of
     * {@code opened} and {@code failed} is called, on the selector's thread or the caller's. Failures are HttpClient's
     * exceptions with HttpClient's messages ({@code Connect to http://host:port [/address] failed: Connection refused}),
     * so a connect failure reads and is classified the same whichever channel met it.
     */
    void connect(HttpHost target, SocketOptions options, long timeoutMillis,
                 BiFunction<SocketChannelEndPoint, Executor, LoopConnection> connection, Consumer<LoopConnection> opened,
                 Consumer<IOException> failed) {
        Found f;
        try {
            f = find();
        } catch (IOException e) {
            failed.accept(ConnectExceptionSupport.enhance(e, target));
            return;
        }
        String host = target.getHostName();
        if (InetAddressUtils.isIPv4(host) || InetAddressUtils.isIPv6(host)) {
            open(f, target, options, timeoutMillis, connection, opened, failed);
        } else {
            // a name may need a DNS lookup, which blocks: never on the caller's thread, which may be a selector's
            f.executor().execute(() -> open(f, target, options, timeoutMillis, connection, opened, failed));
        }
    }

    private void open(Found f, HttpHost target, SocketOptions options, long timeoutMillis,
                      BiFunction<SocketChannelEndPoint, Executor, LoopConnection> connection, Consumer<LoopConnection> opened,
                      Consumer<IOException> failed) {
        SocketChannel channel = null;
        try {
            InetSocketAddress address = new InetSocketAddress(target.getHostName(), target.getPort());
            if (address.isUnresolved()) {
                throw new UnknownHostException(target.getHostName());
            }
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepAlive());
            if (options.receiveBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            ManagedSelector selector = f.selectors().get(Math.floorMod(next.getAndIncrement(), f.selectors().size()));
            Pending pending = new Pending(channel, selector, f.scheduler(), f.executor(), target, address, connection, opened, failed);
            boolean connected = channel.connect(address);
            pending.start(connected, timeoutMillis);
        } catch (IOException | RuntimeException e) {
            IO.close(channel);
            failed.accept(e instanceof IOException io ? ConnectExceptionSupport.enhance(io, target) : new ConnectException(e.toString()));
        }
    }

    /** One connect under way: registered for OP_CONNECT, then handed to a Jetty endpoint once established. */
    private static final class Pending implements ManagedSelector.SelectorUpdate, ManagedSelector.Selectable {
        private final SocketChannel channel;
        private final ManagedSelector selector;
        private final Scheduler scheduler;
        private final Executor executor;
        private final HttpHost target;
        private final InetSocketAddress address;
        private final BiFunction<SocketChannelEndPoint, Executor, LoopConnection> connection;
        private final Consumer<LoopConnection> opened;
        private final Consumer<IOException> failed;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean connected;
        private volatile SelectionKey key;
        private volatile Scheduler.Task timer;

        Pending(SocketChannel channel, ManagedSelector selector, Scheduler scheduler, Executor executor, HttpHost target,
                InetSocketAddress address, BiFunction<SocketChannelEndPoint, Executor, LoopConnection> connection,
                Consumer<LoopConnection> opened, Consumer<IOException> failed) {
            this.channel = channel;
            this.selector = selector;
            this.scheduler = scheduler;
            this.executor = executor;
            this.target = target;
            this.address = address;
            this.connection = connection;
            this.opened = opened;
            this.failed = failed;
        }

        void start(boolean connectedAlready, long timeoutMillis) {
            this.connected = connectedAlready;
            if (!connectedAlready && timeoutMillis > 0) {
                timer = scheduler.schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            selector.submit(this);
        }

        /** On the selector's thread. */
        @Override
        public void update(Selector s) {
            try {
                key = channel.register(s, connected ? 0 : SelectionKey.OP_CONNECT, this);
                if (connected) {
                    established();
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public Runnable onSelected() {
            try {
                if (channel.finishConnect()) {
                    established();
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
            return null;
        }

        @Override
        public void updateKey() {
        }

        @Override
        public void replaceKey(SelectionKey newKey) {
            key = newKey;
        }

        private void established() {
            if (!done.compareAndSet(false, true)) {
                return; // timed out meanwhile
            }
            Scheduler.Task t = timer;
            if (t != null) {
                t.cancel();
            }
            SocketChannelEndPoint endPoint = new SocketChannelEndPoint(channel, selector, key, scheduler);
            LoopConnection c = connection.apply(endPoint, executor);
            endPoint.setConnection(c);
            key.interestOps(0);
            key.attach(endPoint);
            endPoint.onOpen();
            c.onOpen();
            opened.accept(c);
        }

        private void expire() {
            if (done.compareAndSet(false, true)) {
                IO.close(channel);
                failed.accept(ConnectExceptionSupport.enhance(new SocketTimeoutException(), target, address.getAddress()));
            }
        }

        private void fail(Throwable e) {
            if (done.compareAndSet(false, true)) {
                Scheduler.Task t = timer;
                if (t != null) {
                    t.cancel();
                }
                IO.close(channel);
                IOException io = e instanceof IOException x ? x : new ConnectException(e.toString());
                failed.accept(ConnectExceptionSupport.enhance(io, target, address.getAddress()));
            }
        }
    }
}
