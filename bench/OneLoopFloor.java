import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A measuring spike for issue #16, not product code: how cheap can a servlet proxy on Jetty 12 be? Two floors, each run
 * as the peer harness runs a proxy (PORT, BACKENDS):
 * <ul>
 *   <li>{@code MODE=direct}: the servlet answers 100 bytes itself; what Jetty costs to serve a request at all.</li>
 *   <li>{@code MODE=oneloop}: GET proxied round-robin to BACKENDS over pooled keep-alive connections that live on the
 *       server connector's own selector, so one event loop carries both sides: the servlet thread writes the backend
 *       request, the selector thread reads the answer and writes it to the client without any hand-off. Only what
 *       a proxy cannot skip: status, headers but hop-by-hop, a Content-Length body; no failover, no timeouts.</li>
 * </ul>
 * Run: {@code java -cp target/portico-standalone.jar bench/OneLoopFloor.java} (see bench/floor.sh).
 */
public class OneLoopFloor {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "18095"));
        String mode = System.getenv().getOrDefault("MODE", "oneloop");
        List<InetSocketAddress> backends = new ArrayList<>();
        for (String b : System.getenv().getOrDefault("BACKENDS", "127.0.0.1:18081,127.0.0.1:18082").split(",")) {
            String[] hp = b.trim().split(":");
            backends.add(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
        }
        QueuedThreadPool threads = new QueuedThreadPool(16, 8);
        threads.setName("floor");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        OneLoopConnector connector = new OneLoopConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        byte[] hundred = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
        HttpServlet servlet = "direct".equals(mode) ? new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.setContentLength(hundred.length);
                resp.getOutputStream().write(hundred);
            }
        } : new OneLoopProxy(connector, backends);
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        server.start();
        System.err.println("floor mode=" + mode + " on 127.0.0.1:" + port);
        server.join();
    }

    /** A connector whose selector also carries backend connections: those are accepted with a Backend attachment. */
    static final class OneLoopConnector extends ServerConnector {
        OneLoopConnector(Server server, HttpConnectionFactory factory) {
            super(server, factory);
        }

        @Override
        protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
            return new ServerConnectorManager(executor, scheduler, selectors) {
                @Override
                public Connection newConnection(SelectableChannel channel, EndPoint endpoint, Object attachment) throws IOException {
                    if (attachment instanceof Exchange first) {
                        endpoint.setIdleTimeout(60_000);
                        return new BackendConnection(endpoint, executor, first);
                    }
                    return super.newConnection(channel, endpoint, attachment);
                }
            };
        }
    }

    static final class OneLoopProxy extends HttpServlet {
        private final OneLoopConnector connector;
        private final List<InetSocketAddress> backends;
        private final List<ConcurrentLinkedDeque<BackendConnection>> idle = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        OneLoopProxy(OneLoopConnector connector, List<InetSocketAddress> backends) {
            this.connector = connector;
            this.backends = backends;
            backends.forEach(b -> idle.add(new ConcurrentLinkedDeque<>()));
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int member = Math.floorMod(next.getAndIncrement(), backends.size());
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            Exchange exchange = new Exchange(async, resp, requestHead(req, backends.get(member)), idle.get(member));
            BackendConnection pooled = idle.get(member).pollFirst();
            if (pooled != null) {
                pooled.send(exchange);
                return;
            }
            SocketChannel channel = SocketChannel.open(backends.get(member)); // blocking connect: only the first 64
            channel.socket().setTcpNoDelay(true);
            channel.configureBlocking(false);
            connector.getSelectorManager().accept(channel, exchange);
        }

        private static ByteBuffer requestHead(HttpServletRequest req, InetSocketAddress backend) {
            StringBuilder head = new StringBuilder(256).append(req.getMethod()).append(' ').append(req.getRequestURI());
            if (req.getQueryString() != null) {
                head.append('?').append(req.getQueryString());
            }
            head.append(" HTTP/1.1\r\nHost: ").append(backend.getHostString()).append(':').append(backend.getPort()).append("\r\n");
            for (String name : java.util.Collections.list(req.getHeaderNames())) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("host") && !lower.equals("connection") && !lower.equals("keep-alive")) {
                    for (String value : java.util.Collections.list(req.getHeaders(name))) {
                        head.append(name).append(": ").append(value).append("\r\n");
                    }
                }
            }
            head.append("X-Forwarded-For: ").append(req.getRemoteAddr()).append("\r\n\r\n");
            return ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    record Exchange(AsyncContext async, HttpServletResponse resp, ByteBuffer head, ConcurrentLinkedDeque<BackendConnection> pool) {
    }

    /** One keep-alive backend connection: parses a response head, copies a Content-Length body, then pools itself. */
    static final class BackendConnection extends AbstractConnection {
        private final ByteBuffer in = ByteBuffer.allocateDirect(32 * 1024);
        private final byte[] copy = new byte[32 * 1024];
        private Exchange exchange;
        /** The request's write and the response's read each end once per exchange; the last of the two pools us. */
        private final AtomicInteger ends = new AtomicInteger();
        private boolean headDone;
        private long bodyLeft;

        BackendConnection(EndPoint endpoint, Executor executor, Exchange first) {
            super(endpoint, executor);
            this.exchange = first;
            in.flip();
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING; // the selector thread runs onFillable itself: no hand-off
        }

        @Override
        public void onOpen() {
            super.onOpen();
            send(exchange);
        }

        void send(Exchange e) {
            exchange = e;
            headDone = false;
            ends.set(2);
            ConcurrentLinkedDeque<BackendConnection> pool = e.pool();
            fillInterested();
            getEndPoint().write(Callback.from(() -> ended(pool), this::fail), e.head());
        }

        @Override
        public void onFillable() {
            try {
                while (true) {
                    if (!in.hasRemaining()) {
                        in.clear().flip();
                        int n = getEndPoint().fill(in);
                        if (n < 0) {
                            fail(new IOException("backend closed"));
                            return;
                        }
                        if (n == 0) {
                            fillInterested();
                            return;
                        }
                    }
                    if (!headDone) {
                        parseHead();
                        if (exchange == null) {
                            return; // no body
                        }
                    }
                    int n = (int) Math.min(in.remaining(), bodyLeft);
                    in.get(copy, 0, n);
                    exchange.resp().getOutputStream().write(copy, 0, n);
                    bodyLeft -= n;
                    if (bodyLeft == 0) {
                        finish();
                        return;
                    }
                }
            } catch (IOException | RuntimeException x) {
                fail(x);
            }
        }

        /** Parses the head once it is whole in the buffer (a spike: heads that span two reads are not handled). */
        private void parseHead() throws IOException {
            int start = in.position(), end = -1;
            for (int i = start; i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                throw new IOException("response head split over reads");
            }
            byte[] raw = new byte[end - start];
            in.get(raw).position(end + 4);
            String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\r\n");
            HttpServletResponse resp = exchange.resp();
            resp.setStatus(Integer.parseInt(lines[0].substring(9, 12)));
            bodyLeft = 0;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon), value = lines[i].substring(colon + 1).trim();
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "content-length" -> {
                        bodyLeft = Long.parseLong(value);
                        resp.setContentLengthLong(bodyLeft);
                    }
                    case "connection", "keep-alive", "transfer-encoding" -> { }
                    default -> resp.addHeader(name, value);
                }
            }
            headDone = true;
            if (bodyLeft == 0) {
                finish();
            }
        }

        private void finish() {
            Exchange done = exchange;
            exchange = null;
            ended(done.pool());
            done.async().complete();
        }

        private void ended(ConcurrentLinkedDeque<BackendConnection> pool) {
            if (ends.decrementAndGet() == 0) {
                pool.addFirst(this);
            }
        }

        private void fail(Throwable x) {
            getEndPoint().close(x);
            if (exchange != null) {
                try {
                    exchange.resp().sendError(502);
                } catch (IOException | IllegalStateException ignored) {
                    // the head went out already: the client sees a cut body
                }
                exchange.async().complete();
                exchange = null;
            }
        }
    }
}
