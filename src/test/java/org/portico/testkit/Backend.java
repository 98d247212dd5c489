package org.portico.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
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

    private Backend(String name, int port) {
        this.name = name;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("backend-" + name);
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
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
        Backend b = new Backend(name, port);
        b.server.start();
        return b;
    }

    public String name() {
        return name;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    public String origin() {
        return "http://127.0.0.1:" + port();
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

    @Override
    public String toString() {
        return "backend " + name + " at " + origin();
    }

    private final class Responder extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
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
            received.add(recorded);

            HttpFields.Mutable headers = response.getHeaders();
            headers.put("X-Backend", name);
            String path = request.getHttpURI().getPath();
            String query = request.getHttpURI().getQuery();
            boolean head = "HEAD".equals(request.getMethod());
            String command = firstSegment(path);
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
