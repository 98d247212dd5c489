package org.portico.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A WebSocket backend on 127.0.0.1 and an ephemeral port (Jetty core's WebSocket server, no servlets),
 * answering by the path's first segment:
 * <ul>
 * <li>{@code /echo/...}: every text and binary message sent back as it came (up to 16 MiB); the text
 *     {@code whoami} is answered with the backend's name instead;
 * <li>{@code /bye/...}: the first message is answered by a close from the backend, code 4000, reason "bye";
 * <li>{@code /plain/...}: as /echo/, for a pass rule whose worker does not allow the upgrade;
 * <li>{@code /refuse/NNN}: no upgrade, status NNN and the body "refused by NAME"; any other request that
 *     is not an upgrade: 404 and the same body;
 * </ul>
 * It records each handshake's request headers and counts open sessions. Its threads are few and named
 * {@code ws-backend-*}, so a test can tell them from the proxy's.
 */
public final class WebSocketBackend implements AutoCloseable {

    private final String name;
    private final boolean secure;
    private final Server server;
    private final ServerConnector connector;
    private final List<Map<String, String>> handshakes = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

    public WebSocketBackend(String name) throws Exception {
        this(name, null);
    }

    /** A backend that speaks TLS only (wss://, https://) with {@code certificate}, or plain TCP when it is null. */
    public WebSocketBackend(String name, TestCertificate certificate) throws Exception {
        this.name = name;
        this.secure = certificate != null;
        QueuedThreadPool threads = new QueuedThreadPool(24, 4);
        threads.setName("ws-backend-" + name);
        server = new Server(threads);
        if (certificate == null) {
            connector = new ServerConnector(server, 1, 1);
        } else {
            org.eclipse.jetty.util.ssl.SslContextFactory.Server tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            tls.setKeyStorePath(certificate.keyStore().toString());
            tls.setKeyStorePassword(TestCertificate.PASSWORD);
            tls.setKeyStoreType("PKCS12");
            connector = new ServerConnector(server, 1, 1, new org.eclipse.jetty.server.SslConnectionFactory(tls, "http/1.1"),
                    new org.eclipse.jetty.server.HttpConnectionFactory());
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(2048);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.setMaxBinaryMessageSize(16 << 20);
            container.setMaxTextMessageSize(16 << 20);
            container.addMapping("/echo/*", (req, resp, cb) -> {
                record(req);
                return new Echo(false);
            });
            container.addMapping("/plain/*", (req, resp, cb) -> {
                record(req);
                return new Echo(false);
            });
            container.addMapping("/bye/*", (req, resp, cb) -> {
                record(req);
                return new Echo(true);
            });
        });
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                int status = path.startsWith("/refuse/") ? Integer.parseInt(path.substring(8, 11)) : 404;
                response.setStatus(status);
                response.getHeaders().put("X-Backend", name);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.write(true, ByteBuffer.wrap(("refused by " + name).getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.setHandler(ws);
        server.start();
    }

    private void record(org.eclipse.jetty.websocket.server.ServerUpgradeRequest req) {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        req.getHeaders().forEach(f -> h.merge(f.getName(), f.getValue(), (a, b) -> a + ", " + b));
        h.put(":path", req.getHttpURI().getPathQuery());
        handshakes.add(h);
    }

    /** The echo endpoint; one per session. */
    public final class Echo implements Session.Listener.AutoDemanding {
        private final boolean bye;
        private volatile Session session;

        Echo(boolean bye) {
            this.bye = bye;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            open.incrementAndGet();
        }

        @Override
        public void onWebSocketText(String message) {
            if (bye) {
                session.close(4000, "bye", org.eclipse.jetty.websocket.api.Callback.NOOP);
            } else {
                session.sendText("whoami".equals(message) ? name : message, org.eclipse.jetty.websocket.api.Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            if (bye) {
                callback.succeed();
                session.close(4000, "bye", org.eclipse.jetty.websocket.api.Callback.NOOP);
                return;
            }
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            session.sendBinary(copy, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closeCodes.add(statusCode);
            open.decrementAndGet();
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:port}, or {@code https://} for a TLS backend */
    public String url() {
        return (secure ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** The request headers of every handshake that reached an endpoint, in order (":path" holds the path and query). */
    public List<Map<String, String>> handshakes() {
        return handshakes;
    }

    /** Sessions open now. */
    public int openSessions() {
        return open.get();
    }

    /** The close codes the backend's sessions ended with. */
    public List<Integer> closeCodes() {
        return closeCodes;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
