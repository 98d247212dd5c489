package org.portico.testkit;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's WebSocket client, with what it received kept for assertions: whole messages (text as
 * String, binary as byte[]) in arrival order, and the close code of a close that came in. One
 * {@link HttpClient} and a small fixed executor serve every socket of one instance, so opening a
 * thousand sockets costs no thousand threads in the test either.
 */
public final class WebSocketClient implements AutoCloseable {

    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "ws-client");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(30)).build();

    /** One open socket and what it received. */
    public static final class Socket implements WebSocket.Listener {
        private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private volatile WebSocket ws;

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        public WebSocket ws() {
            return ws;
        }

        /** The next whole message, waiting at most {@code timeout}. */
        public Object next(Duration timeout) throws InterruptedException {
            Object m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + timeout);
            }
            return m;
        }

        public String sendText(String message, Duration timeout) throws Exception {
            ws.sendText(message, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return (String) next(timeout);
        }

        public byte[] sendBinary(byte[] message, Duration timeout) throws Exception {
            ws.sendBinary(ByteBuffer.wrap(message), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return (byte[]) next(timeout);
        }

        /** The status code of the close that came in, waiting at most {@code timeout}. */
        public int closeCode(Duration timeout) throws Exception {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Completes when the socket was closed by the other side or failed. */
        public CompletableFuture<Integer> closed() {
            return closed;
        }
    }

    /** Opens a socket to {@code uri} (ws://...), waiting at most {@code timeout} for the handshake. */
    public Socket open(URI uri, Duration timeout) throws Exception {
        Socket s = new Socket();
        http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, s).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** Opens a socket to {@code uri} with extra handshake headers (name, value, ...). */
    public Socket openWith(URI uri, Duration timeout, String... headers) throws Exception {
        Socket s = new Socket();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.buildAsync(uri, s).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** Starts opening a socket without waiting. */
    public CompletableFuture<WebSocket> openAsync(URI uri, Socket s) {
        return http.newWebSocketBuilder().buildAsync(uri, s);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
