package org.portico.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend on a raw {@link ServerSocket} (127.0.0.1, ephemeral port) that breaks HTTP in one chosen
 * way. It always reads the whole request head first, so that closing the socket sends a FIN rather
 * than a reset that could destroy bytes already on their way to the proxy.
 */
public final class MisbehavingBackend implements AutoCloseable {

    /** How the backend misbehaves on every connection. */
    public enum Mode {
        /** Accepts and reads the request, then never answers and never closes. */
        HANG,
        /**
         * Reads the request head and counts every byte that follows it ({@link #bytesAfterHeads()}), never
         * answering, not even a 100 Continue, and never closing.
         */
        SILENT,
        /** Reads the request head, then closes the connection without answering. */
        CLOSE_BEFORE_STATUS,
        /** Answers with a status line that is not HTTP. */
        GARBAGE_STATUS_LINE,
        /** Answers with a valid status line followed by a header line without a colon. */
        BAD_HEADER_LINE,
        /** Announces Content-Length: {@value #ANNOUNCED_LENGTH} and closes before sending any of it. */
        DIE_BEFORE_BODY,
        /**
         * Announces Content-Length: {@value #ANNOUNCED_LENGTH}, sends {@value #SENT_BEFORE_DYING} bytes, waits
         * for {@link #dieNow()} and closes.
         */
        DIE_MID_BODY_CONTENT_LENGTH,
        /**
         * Starts a chunked body, sends one chunk of {@value #SENT_BEFORE_DYING} bytes, waits for
         * {@link #dieNow()} and closes without the last chunk.
         */
        DIE_MID_BODY_CHUNKED
    }

    public static final int ANNOUNCED_LENGTH = 1000;
    public static final int SENT_BEFORE_DYING = 100;

    private final Mode mode;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "misbehaving-backend");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> requestHeads = new CopyOnWriteArrayList<>();
    private final Semaphore die = new Semaphore(0);
    private final AtomicLong bytesAfterHeads = new AtomicLong();

    private MisbehavingBackend(Mode mode) throws IOException {
        this.mode = mode;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    public static MisbehavingBackend start(Mode mode) throws IOException {
        MisbehavingBackend b = new MisbehavingBackend(mode);
        b.threads.execute(b::acceptLoop);
        return b;
    }

    /**
     * A loopback port on which nothing listens: bound once to get a free number, then closed, so a
     * connection attempt is refused.
     */
    public static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    /** The request heads received so far (request line and headers, as text). */
    public List<String> requestHeads() {
        return List.copyOf(requestHeads);
    }

    /** SILENT: the bytes that arrived after request heads, on all connections: a body sent without a 100. */
    public long bytesAfterHeads() {
        return bytesAfterHeads.get();
    }

    /** Whether some request whose request line contains {@code text} has arrived. */
    public boolean received(String text) {
        return requestHeads.stream().anyMatch(h -> h.lines().findFirst().orElse("").contains(text));
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                open.add(s);
                threads.execute(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            requestHeads.add(head);
            OutputStream out = s.getOutputStream();
            switch (mode) {
                case SILENT -> {
                    byte[] buf = new byte[8192];
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        bytesAfterHeads.addAndGet(n);
                    }
                    return;
                }
                case HANG -> {
                    return; // the socket stays open until close()
                }
                case CLOSE_BEFORE_STATUS -> {
                    // nothing: the connection ends before a status line
                }
                case GARBAGE_STATUS_LINE -> out.write(ascii("HTTX/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
                case BAD_HEADER_LINE -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                        + "this line has no colon\r\n\r\nok"));
                case DIE_BEFORE_BODY -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: " + ANNOUNCED_LENGTH + "\r\n\r\n"));
                case DIE_MID_BODY_CONTENT_LENGTH -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: " + ANNOUNCED_LENGTH + "\r\n\r\n" + "x".repeat(SENT_BEFORE_DYING)));
                    awaitDeath(out);
                }
                case DIE_MID_BODY_CHUNKED -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(SENT_BEFORE_DYING) + "\r\n"
                            + "x".repeat(SENT_BEFORE_DYING) + "\r\n"));
                    awaitDeath(out);
                }
                default -> throw new IllegalStateException(mode.toString());
            }
            out.flush();
            s.shutdownOutput();
            // let the proxy see the FIN before the socket is gone: wait for its close (or the timeout)
            while (in.read() >= 0) {
                // discard
            }
            close(s);
        } catch (IOException e) {
            close(s);
        }
    }

    /**
     * Lets one connection waiting in a DIE_MID_BODY mode close now; a test calls it once the client has
     * seen the part of the body that was sent, so the failure happens mid-body for certain.
     */
    public void dieNow() {
        die.release();
    }

    private void awaitDeath(OutputStream out) throws IOException {
        out.flush();
        try {
            // bounded: without a dieNow() the backend dies anyway
            die.tryAcquire(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads up to and including the blank line; null when the peer closed first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.remove(s);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            close(s);
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "misbehaving backend (" + mode + ") at " + origin();
    }
}
