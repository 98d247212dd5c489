package org.portico.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthInputStream;
import org.apache.hc.core5.http.impl.io.IdentityInputStream;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;

/**
 * The body of a backend's answer that refused an upgrade, read as it arrives and framed by its head
 * (Content-Length, chunked, or up to the end of the connection), for the thread that relays it to the
 * client. Each read waits at most the worker's timeout. Closing it closes the connection: it is never
 * reused, as httpd does not reuse a connection an upgrade was asked on.
 */
public final class ResponseBodyStream extends InputStream {

    private final TunnelEnd end;
    private final InputStream framed;
    private final long length;

    ResponseBodyStream(TunnelEnd end, HttpResponse head, Duration timeout) {
        this.end = end;
        InputStream raw = new Raw(end, timeout);
        SessionInputBufferImpl buffer = new SessionInputBufferImpl(8192);
        Header te = head.getFirstHeader("Transfer-Encoding");
        Header cl = head.getFirstHeader("Content-Length");
        int code = head.getCode();
        if (code == 204 || code == 304 || code < 200) {
            framed = InputStream.nullInputStream();
            length = 0;
        } else if (te != null && te.getValue().toLowerCase(Locale.ROOT).contains("chunked")) {
            framed = new ChunkedInputStream(buffer, raw);
            length = -1;
        } else if (cl != null && parses(cl.getValue())) {
            length = Long.parseLong(cl.getValue().trim());
            framed = new ContentLengthInputStream(buffer, raw, length);
        } else {
            framed = new IdentityInputStream(buffer, raw);
            length = -1;
        }
    }

    private static boolean parses(String value) {
        try {
            return Long.parseLong(value.trim()) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The body's length from Content-Length, 0 for a status without a body, else -1. */
    public long length() {
        return length;
    }

    @Override
    public int read() throws IOException {
        return framed.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return framed.read(b, off, len);
    }

    @Override
    public void close() {
        end.close();
    }

    /** The connection's bytes through its end, one read at a time, each bounded by the timeout. */
    private static final class Raw extends InputStream {
        private final TunnelEnd end;
        private final Duration timeout;
        /** What the last read gave and was not taken yet; null once taken, or at the end. */
        private ByteBuffer pending;
        private boolean ended;

        Raw(TunnelEnd end, Duration timeout) {
            this.end = end;
            this.timeout = timeout;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pending == null || !pending.hasRemaining()) {
                if (ended) {
                    return -1;
                }
                pending = next();
                if (pending == null) {
                    ended = true;
                }
            }
            int n = Math.min(len, pending.remaining());
            pending.get(b, off, n);
            return n;
        }

        private ByteBuffer next() throws IOException {
            CompletableFuture<ByteBuffer> read = new CompletableFuture<>();
            end.read(new TunnelEnd.Reads() {
                @Override
                public void data(ByteBuffer bytes) {
                    read.complete(bytes);
                }

                @Override
                public void ended() {
                    read.complete(null);
                }

                @Override
                public void failed(Throwable cause) {
                    read.completeExceptionally(cause);
                }
            });
            try {
                return read.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                end.close();
                throw new IOException("no byte of the response body for " + timeout.toMillis() + " ms", e);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().toString(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end.close();
                throw new IOException("interrupted", e);
            }
        }
    }
}
