package org.portico.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * A backend for large bodies, on 127.0.0.1 and a free port: {@code GET /down?bytes=N} streams N
 * {@link PatternBytes} (counting what it has written), {@code POST /up} answers with the SHA-256 and
 * length of what it received. Nothing is buffered whole on either side.
 */
public final class StreamingBackend implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server, 1, 1);
    private final AtomicLong written = new AtomicLong();
    /** Downloads whose latest write the connection has not taken yet: the reader stopped reading. */
    private final AtomicInteger blocked = new AtomicInteger();

    public StreamingBackend() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if (path.startsWith("/down")) {
                    Fields q = Request.extractQueryParameters(request);
                    long n = Long.parseLong(q.getValue("bytes"));
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                    if (!"chunked".equals(q.getValue("framing"))) {
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, n);
                    }
                    new Writer(response, callback, n).next();
                    return true;
                }
                if (path.startsWith("/up")) {
                    MessageDigest md = PatternBytes.sha256();
                    long[] count = new long[1];
                    Content.Source.consumeAll(new Content.Source() {
                        @Override public Content.Chunk read() {
                            Content.Chunk c = request.read();
                            if (c != null && c.hasRemaining()) {
                                ByteBuffer b = c.getByteBuffer().slice();
                                count[0] += b.remaining();
                                md.update(b);
                            }
                            return c;
                        }
                        @Override public void demand(Runnable r) { request.demand(r); }
                        @Override public void fail(Throwable t) { request.fail(t); }
                    }, Callback.from(() -> {
                        String body = HexFormat.of().formatHex(md.digest()) + " " + count[0] + "\n";
                        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)), callback);
                    }, callback::failed));
                    return true;
                }
                response.setStatus(404);
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    /** Writes one 64 KiB piece at a time, the next only when the previous write completed. */
    private final class Writer extends IteratingCallback {
        private final Response response;
        private final Callback done;
        private final PatternBytes source;
        private long remaining;
        private final byte[] buf = new byte[64 * 1024];

        Writer(Response response, Callback done, long n) {
            this.response = response;
            this.done = done;
            this.source = new PatternBytes(n);
            this.remaining = n;
        }

        void next() {
            iterate();
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
            boolean[] done = new boolean[1];
            Callback next = Callback.from(() -> {
                settle(done);
                succeeded();
            }, x -> {
                settle(done);
                failed(x);
            });
            response.write(remaining == 0, ByteBuffer.wrap(buf, 0, len), next);
            synchronized (done) {
                if (!done[0]) {
                    done[0] = true; // marks "counted as blocked"; settle() undoes the count
                    blocked.incrementAndGet();
                    return Action.SCHEDULED;
                }
            }
            return Action.SCHEDULED;
        }

        /** The write completed: if it was counted as blocked, it no longer is. */
        private void settle(boolean[] done) {
            synchronized (done) {
                if (done[0]) {
                    blocked.decrementAndGet();
                }
                done[0] = true;
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

    public int port() {
        return connector.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * How many downloads are blocked now: their latest write is waiting for the connection to take it,
     * because whoever reads (the proxy) stopped reading.
     */
    public int blockedDownloads() {
        return blocked.get();
    }

    /** Bytes the backend has handed to its connection so far, all downloads together. */
    public long written() {
        return written.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
