package org.portico.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A well-behaved HTTP/1.1 backend on 127.0.0.1 and an ephemeral port (Jetty core, no servlets) that
 * records every request as received and answers according to the first segment of the path:
 * <ul>
 * <li>{@code /name}: its own name as the body;
 * <li>{@code /status/NNN[/...]}: status NNN, with a short body unless NNN forbids one;
 * <li>{@code /echo-body[/...]}: the request body, byte for byte;
 * <li>{@code /hold[/...]}: its name as the body, but only once {@link #releaseHeld()} is called (the
 *     request is parked without a thread; {@link #held()} counts the parked ones);
 * <li>{@code /redirect?to=URL}: 302 with {@code Location: URL};
 * <li>{@code /setcookie?a=1&b=2}: one {@code Set-Cookie} per query parameter, raw;
 * <li>{@code /big?bytes=N[&chunked=true]}: N bytes of {@code a..z}, with Content-Length unless chunked;
 * <li>{@code /hop-by-hop}: a response carrying every hop-by-hop header (see {@link #HOP_BY_HOP_SECRET});
 * <li>{@code /down?bytes=N[&framing=chunked]}: N {@link PatternBytes}, one 64 KiB write at a time, the next
 *     only when the connection took the last ({@link #written()} and {@link #blockedDownloads()} say how far);
 * <li>{@code /up}: the SHA-256 (hex) and length of the request body, read as it streams, never whole;
 * <li>a path given to {@link #script}: the status and header lines scripted for it, exactly as written
 *     (several of one name included), and no body;
 * <li>anything else: an echo of the request line, the headers and the body.
 * </ul>
 * Every response carries {@code X-Backend: <name>}. HEAD gets the GET headers and no body. A request
 * whose body never arrived whole, or whose response could not be written to its end, is recorded
 * as {@linkplain #aborted() aborted} instead: the proxy dropped the exchange.
 * The URI compliance is as lax as Jetty allows, so the proxy's output is recorded rather than refused.
 */
public final class Backend implements AutoCloseable {

    /** A response header that /hop-by-hop names in its Connection header, so a proxy must drop it. */
    public static final String HOP_BY_HOP_SECRET = "X-Backend-Secret";

    private final String name;
    private final Server server;
    private final ServerConnector connector;
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> aborted = new CopyOnWriteArrayList<>();
    /** Targets whose head has arrived while their body is still being read. */
    private final List<String> reading = new CopyOnWriteArrayList<>();
    /** Answers of /hold requests, parked until {@link #releaseHeld()}. */
    private final ConcurrentLinkedQueue<Runnable> parked = new ConcurrentLinkedQueue<>();
    /** Bytes /down has handed to its connections. */
    private final AtomicLong written = new AtomicLong();
    /** /down answers whose latest write the connection has not taken yet: the reader stopped reading. */
    private final AtomicInteger blocked = new AtomicInteger();
    /** The certificate of an HTTPS backend; null for plain HTTP. */
    private final TestCertificate certificate;
    /** Scripted answers by path (query ignored). */
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();

    /** One response header line, name and value as they go on the wire. */
    public record Line(String name, String value) {
    }

    private record Script(int status, List<Line> lines) {
    }

    /** What a backend speaks on its port. */
    private enum Wire { HTTP1, H2 }

    private final Wire wire;
    /** Each received request's protocol as Jetty saw it ("HTTP/1.1", "HTTP/2.0"), in order of arrival. */
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    /** Connections accepted so far. */
    private final AtomicInteger connections = new AtomicInteger();

    private Backend(String name, int port, TestCertificate certificate) {
        this(name, port, certificate, Wire.HTTP1);
    }

    private Backend(String name, int port, TestCertificate certificate, Wire wire) {
        this.name = name;
        this.certificate = certificate;
        this.wire = wire;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("backend-" + name);
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // heads as large as httpd passes on (99 fields of 8,000 bytes), so that the fronts' limits are what a test sees
        http.setRequestHeaderSize(1024 * 1024);
        SslContextFactory.Server tls = null;
        if (certificate != null) {
            tls = new SslContextFactory.Server();
            tls.setKeyStorePath(certificate.keyStore().toString());
            tls.setKeyStorePassword(TestCertificate.PASSWORD);
            tls.setKeyStoreType("PKCS12");
            http.addCustomizer(new SecureRequestCustomizer(false));
        }
        if (wire == Wire.H2 && tls == null) {
            // prior knowledge only: no HTTP/1.1 on this port
            HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
            h2c.setMaxConcurrentStreams(1000);
            this.connector = new ServerConnector(server, 1, 1, h2c);
        } else if (wire == Wire.H2) {
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
            h2.setMaxConcurrentStreams(1000);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2");
            alpn.setDefaultProtocol("h2");
            this.connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2);
        } else if (tls == null) {
            this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        } else {
            this.connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(http));
        }
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                connections.incrementAndGet();
            }
        });
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Responder());
    }

    /** Starts a backend called {@code name} on a free loopback port. */
    public static Backend start(String name) throws Exception {
        return start(name, 0);
    }

    /**
     * Starts a backend called {@code name} on loopback port {@code port} (0: a free one); a test uses it
     * to bring a member back on the port where nothing listened before.
     */
    public static Backend start(String name, int port) throws Exception {
        Backend b = new Backend(name, port, null);
        b.server.start();
        return b;
    }

    /**
     * Starts a backend called {@code name} that speaks HTTPS only, on a free loopback port, with a
     * certificate made for the test ({@link #trustStore()} trusts it).
     */
    public static Backend startTls(String name) throws Exception {
        Backend b = new Backend(name, 0, TestCertificate.create());
        b.server.start();
        return b;
    }

    /** Starts a backend that speaks HTTP/2 only, with prior knowledge on plain TCP (a {@code h2c://} member). */
    public static Backend startH2c(String name) throws Exception {
        Backend b = new Backend(name, 0, null, Wire.H2);
        b.server.start();
        return b;
    }

    /** Starts a backend that speaks HTTP/2 only over TLS, chosen by ALPN (a {@code h2://} member). */
    public static Backend startH2(String name) throws Exception {
        Backend b = new Backend(name, 0, TestCertificate.create(), Wire.H2);
        b.server.start();
        return b;
    }

    /** The protocol of each request received so far ("HTTP/1.1", "HTTP/2.0"), oldest first. */
    public List<String> protocols() {
        return List.copyOf(protocols);
    }

    /** How many connections this backend has accepted. */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** An HTTPS backend's trust store: PKCS12, password {@link TestCertificate#PASSWORD}, holding its certificate. */
    public Path trustStore() {
        if (certificate == null) {
            throw new IllegalStateException(this + " speaks plain HTTP: start it with startTls");
        }
        return certificate.trustStore();
    }

    public String name() {
        return name;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /**
     * {@code http://127.0.0.1:port} ({@code https://} for a TLS backend, {@code h2c://} and {@code h2://} for
     * HTTP/2 ones), without a trailing slash.
     */
    public String origin() {
        String scheme = wire == Wire.H2 ? (certificate == null ? "h2c" : "h2") : certificate == null ? "http" : "https";
        return scheme + "://127.0.0.1:" + port();
    }

    /** Everything received so far, oldest first. */
    public List<RecordedRequest> received() {
        return List.copyOf(received);
    }

    /** The requests whose raw path starts with {@code pathPrefix}. */
    public List<RecordedRequest> receivedUnder(String pathPrefix) {
        return received(r -> r.path().startsWith(pathPrefix));
    }

    public List<RecordedRequest> received(Predicate<RecordedRequest> which) {
        return received.stream().filter(which).toList();
    }

    /**
     * The one request whose raw path starts with {@code pathPrefix}.
     *
     * @throws AssertionError when there is none or more than one, listing what was received
     */
    public RecordedRequest onlyRequestUnder(String pathPrefix) {
        List<RecordedRequest> found = receivedUnder(pathPrefix);
        if (found.size() != 1) {
            throw new AssertionError("backend " + name + " should have received exactly one request under " + pathPrefix
                    + " but got " + found.size() + "; all received: " + received);
        }
        return found.get(0);
    }

    /**
     * Exchanges the other side broke off: the request body ended early (the connection closed mid-body;
     * such a request is not in {@link #received()} and its body here is empty), or a /big response could
     * not be written to its end.
     */
    public List<RecordedRequest> aborted() {
        return List.copyOf(aborted);
    }

    /** The aborted exchanges whose raw path starts with {@code pathPrefix}. */
    public List<RecordedRequest> abortedUnder(String pathPrefix) {
        return aborted.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    /** Whether the head of a request under {@code pathPrefix} has arrived and its body is still being read. */
    public boolean reading(String pathPrefix) {
        return reading.stream().anyMatch(t -> t.startsWith(pathPrefix));
    }

    /** Bytes the /down answers have handed to their connections so far, all together. */
    public long written() {
        return written.get();
    }

    /**
     * How many /down answers are blocked now: their latest write waits for the connection to take it,
     * because whoever reads (the proxy) stopped reading.
     */
    public int blockedDownloads() {
        return blocked.get();
    }

    /** How many /hold requests are parked, waiting for {@link #releaseHeld()}. */
    public int held() {
        return parked.size();
    }

    /**
     * Answers the /hold requests parked now. One that arrives while these are answered (say on the
     * connection an answer just freed) stays parked, so a test can see it waiting.
     */
    public void releaseHeld() {
        for (int n = parked.size(); n > 0; n--) {
            Runnable answer = parked.poll();
            if (answer == null) {
                break;
            }
            answer.run();
        }
    }

    @Override
    public void close() throws Exception {
        for (Runnable answer = parked.poll(); answer != null; answer = parked.poll()) {
            answer.run();
        }
        server.stop();
    }

    /** From now on, {@code path} (the query ignored) is answered with {@code status} and {@code lines}, no body. */
    public void script(String path, int status, Line... lines) {
        scripts.put(path, new Script(status, List.of(lines)));
    }

    public static Line line(String name, String value) {
        return new Line(name, value);
    }

    @Override
    public String toString() {
        return "backend " + name + " at " + origin();
    }

    private final class Responder extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String command = firstSegment(request.getHttpURI().getPath());
            if (command.equals("down") || command.equals("up")) {
                response.getHeaders().put("X-Backend", name);
                if (command.equals("down")) {
                    new Download(request, response, callback).iterate();
                } else {
                    digest(request, response, callback);
                }
                return true;
            }
            List<RecordedRequest.Field> fields = new ArrayList<>();
            for (HttpField f : request.getHeaders()) {
                fields.add(new RecordedRequest.Field(f.getName(), f.getValue()));
            }
            String target = request.getHttpURI().getPathQuery();
            byte[] body;
            reading.add(target);
            try {
                body = Content.Source.asInputStream(request).readAllBytes();
            } catch (IOException e) {
                aborted.add(new RecordedRequest(name, request.getMethod(), target, fields, new byte[0]));
                callback.failed(e);
                return true;
            } finally {
                reading.remove(target);
            }
            RecordedRequest recorded = new RecordedRequest(name, request.getMethod(), target, fields, body);
            protocols.add(request.getConnectionMetaData().getHttpVersion().asString());
            received.add(recorded);

            HttpFields.Mutable headers = response.getHeaders();
            headers.put("X-Backend", name);
            String path = request.getHttpURI().getPath();
            String query = request.getHttpURI().getQuery();
            boolean head = "HEAD".equals(request.getMethod());
            Script script = scripts.get(path);
            if (script != null) {
                response.setStatus(script.status());
                for (Line line : script.lines()) {
                    headers.add(line.name(), line.value());
                }
                headers.put(HttpHeader.CONTENT_LENGTH, 0L);
                callback.succeeded();
                return true;
            }
            switch (command) {
                case "name" -> text(response, callback, head, 200, name);
                case "status" -> {
                    int status = Integer.parseInt(secondSegment(path));
                    if (status == 204 || status == 304 || status < 200) {
                        response.setStatus(status);
                        callback.succeeded();
                    } else {
                        text(response, callback, head, status, "status " + status + "\n");
                    }
                }
                case "redirect" -> {
                    headers.put(HttpHeader.LOCATION, param(query, "to"));
                    text(response, callback, head, 302, "redirect\n");
                }
                case "setcookie" -> {
                    if (query != null) {
                        for (String pair : query.split("&")) {
                            headers.add(HttpHeader.SET_COOKIE, URLDecoder.decode(pair, StandardCharsets.UTF_8));
                        }
                    }
                    text(response, callback, head, 200, "cookies\n");
                }
                case "echo-body" -> {
                    response.setStatus(200);
                    headers.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
                    response.write(true, java.nio.ByteBuffer.wrap(head ? new byte[0] : body), callback);
                }
                case "hold" -> parked.add(() -> text(response, callback, head, 200, name));
                case "big" -> {
                    if (!big(response, callback, head, Long.parseLong(param(query, "bytes")),
                            "true".equals(param(query, "chunked")))) {
                        aborted.add(recorded);
                    }
                }
                case "hop-by-hop" -> {
                    headers.add(HttpHeader.CONNECTION, HOP_BY_HOP_SECRET);
                    headers.add(HOP_BY_HOP_SECRET, "backend-only");
                    headers.add("Keep-Alive", "timeout=5, max=100");
                    headers.add("Proxy-Connection", "keep-alive");
                    headers.add("Proxy-Authenticate", "Basic realm=\"backend\"");
                    headers.add("TE", "trailers");
                    headers.add("Trailer", "X-Checksum");
                    headers.add("Upgrade", "h2c");
                    headers.add("X-End-To-End", "kept");
                    text(response, callback, head, 200, "hop-by-hop\n");
                }
                default -> echo(recorded, response, callback, head);
            }
            return true;
        }

        private void echo(RecordedRequest r, Response response, Callback callback, boolean head) {
            StringBuilder sb = new StringBuilder();
            sb.append(r.method()).append(' ').append(r.target()).append('\n');
            for (RecordedRequest.Field f : r.headers()) {
                sb.append(f.name()).append(": ").append(f.value()).append('\n');
            }
            sb.append('\n').append(r.bodyText());
            text(response, callback, head, 200, sb.toString());
        }

        private void text(Response response, Callback callback, boolean head, int status, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            if (head) {
                callback.succeeded();
            } else {
                response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
            }
        }

        /** Whether the whole body was written. */
        private boolean big(Response response, Callback callback, boolean head, long bytes, boolean chunked) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            if (!chunked) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes);
            }
            if (head) {
                callback.succeeded();
                return true;
            }
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                byte[] block = new byte[8192];
                long sent = 0;
                while (sent < bytes) {
                    int n = (int) Math.min(block.length, bytes - sent);
                    for (int i = 0; i < n; i++) {
                        block[i] = patternByte(sent + i);
                    }
                    out.write(block, 0, n);
                    // flushing each block makes a chunked response really arrive in several chunks
                    out.flush();
                    sent += n;
                }
            } catch (Exception e) {
                callback.failed(e);
                return false;
            }
            callback.succeeded();
            return true;
        }
    }

    /** /up: the body's SHA-256 and length, each chunk digested as it arrives. */
    private static void digest(Request request, Response response, Callback callback) {
        MessageDigest md = PatternBytes.sha256();
        long[] count = new long[1];
        Content.Source.consumeAll(new Content.Source() {
            @Override
            public Content.Chunk read() {
                Content.Chunk c = request.read();
                if (c != null && c.hasRemaining()) {
                    ByteBuffer b = c.getByteBuffer().slice();
                    count[0] += b.remaining();
                    md.update(b);
                }
                return c;
            }

            @Override
            public void demand(Runnable r) {
                request.demand(r);
            }

            @Override
            public void fail(Throwable t) {
                request.fail(t);
            }
        }, Callback.from(() -> {
            String body = HexFormat.of().formatHex(md.digest()) + " " + count[0] + "\n";
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)), callback);
        }, callback::failed));
    }

    /** /down: one 64 KiB piece at a time, the next only when the connection took the previous one. */
    private final class Download extends IteratingCallback {
        private final Response response;
        private final Callback done;
        private final PatternBytes source;
        private final byte[] buf = new byte[64 * 1024];
        private long remaining;

        Download(Request request, Response response, Callback done) {
            Fields q = Request.extractQueryParameters(request);
            long n = Long.parseLong(q.getValue("bytes"));
            this.response = response;
            this.done = done;
            this.source = new PatternBytes(n);
            this.remaining = n;
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            if (!"chunked".equals(q.getValue("framing"))) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, n);
            }
        }

        @Override
        protected Action process() {
            if (remaining == 0) {
                return Action.SUCCEEDED;
            }
            int len = (int) Math.min(buf.length, remaining);
            source.read(buf, 0, len);
            remaining -= len;
            written.addAndGet(len);
            // a write to a connection with room completes within write(); one that does not is blocked
            boolean[] settled = new boolean[1];
            response.write(remaining == 0, ByteBuffer.wrap(buf, 0, len), Callback.from(() -> {
                settle(settled);
                succeeded();
            }, x -> {
                settle(settled);
                failed(x);
            }));
            synchronized (settled) {
                if (!settled[0]) {
                    settled[0] = true; // counted as blocked: settle() takes it back
                    blocked.incrementAndGet();
                }
            }
            return Action.SCHEDULED;
        }

        /** The write completed: if it was counted as blocked, it no longer is. */
        private void settle(boolean[] settled) {
            synchronized (settled) {
                if (settled[0]) {
                    blocked.decrementAndGet();
                }
                settled[0] = true;
            }
        }

        @Override
        protected void onCompleteSuccess() {
            done.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            done.failed(cause);
        }
    }

    /** The byte at {@code offset} of a /big body: a..z repeating. */
    public static byte patternByte(long offset) {
        return (byte) ('a' + offset % 26);
    }

    private static String firstSegment(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }

    private static String secondSegment(String path) {
        String[] segments = path.split("/");
        if (segments.length < 3) {
            throw new IllegalArgumentException("no second path segment in " + path);
        }
        return segments[2];
    }

    private static String param(String query, String key) {
        if (query == null) {
            throw new IllegalArgumentException("query parameter '" + key + "' is missing");
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(key)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
