package org.portico.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on a raw socket (127.0.0.1, one fixed port for its life) whose health can be switched:
 * up, answering 500, answering with the wrong body, slow, or not listening at all. Every response
 * names the backend in {@code X-Backend} and closes the connection. It records the exact bytes of
 * every request head under {@code /health} and counts the other requests.
 */
public final class FlappingBackend implements AutoCloseable {

    /** How the backend answers from now on. */
    public enum Mode {
        /** 200 with {@code status: UP}. */
        UP,
        /** 500 with {@code status: ERROR}. */
        ERROR_500,
        /** 200 with {@code status: DOWN}: a check on the status passes, one on the body fails. */
        WRONG_BODY,
        /** Answers after {@value #SLOW_MILLIS} ms. */
        SLOW,
        /** The port is closed: connections are refused. */
        CLOSED
    }

    public static final long SLOW_MILLIS = 3000;

    private final String name;
    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flapping-backend");
        t.setDaemon(true);
        return t;
    });
    /** Grows by one per check (a thousand a second in some tests): not a copy-on-write list. */
    private final List<String> healthHeads = Collections.synchronizedList(new ArrayList<>());
    /** Holds SLOW answers for {@value #SLOW_MILLIS} ms at most; close() lets them go at once. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger served = new AtomicInteger();
    private volatile Mode mode = Mode.UP;
    private volatile ServerSocket listener;

    private FlappingBackend(String name) throws IOException {
        this.name = name;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    public static FlappingBackend start(String name) throws IOException {
        return new FlappingBackend(name);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        return s;
    }

    private void accept(ServerSocket s) {
        threads.execute(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    threads.execute(() -> serve(c));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Switches how the backend answers; CLOSED closes the port, leaving CLOSED opens it again. */
    public synchronized void mode(Mode next) throws IOException {
        if (next == Mode.CLOSED && mode != Mode.CLOSED) {
            listener.close();
        } else if (next != Mode.CLOSED && mode == Mode.CLOSED) {
            listener = listen(port);
            accept(listener);
        }
        mode = next;
    }

    public String name() {
        return name;
    }

    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The exact heads of the health requests received so far. */
    public List<String> healthHeads() {
        synchronized (healthHeads) {
            return List.copyOf(healthHeads);
        }
    }

    /** How many requests other than health checks it answered. */
    public int served() {
        return served.get();
    }

    private void serve(Socket c) {
        try (c) {
            c.setSoTimeout(10_000);
            String head = head(c.getInputStream());
            if (head == null) {
                return;
            }
            String target = head.split(" ", 3).length > 1 ? head.split(" ", 3)[1] : "";
            boolean health = target.contains("/health");
            if (health) {
                healthHeads.add(head);
            } else {
                served.incrementAndGet();
            }
            Mode m = mode;
            if (m == Mode.SLOW) {
                closing.await(SLOW_MILLIS, TimeUnit.MILLISECONDS);
            }
            int status = m == Mode.ERROR_500 ? 500 : 200;
            String body = switch (m) {
                case ERROR_500 -> "status: ERROR\n";
                case WRONG_BODY -> "status: DOWN\n";
                default -> "status: UP\n";
            };
            boolean headRequest = head.startsWith("HEAD ");
            String response = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Internal Server Error") + "\r\n"
                    + "Content-Type: text/plain\r\nX-Backend: " + name + "\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + (headRequest ? "" : body);
            OutputStream out = c.getOutputStream();
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            c.shutdownOutput();
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request head with its final CRLF CRLF, or null when the client sent none; skips a Content-Length body. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            buf.write(c);
            String s = buf.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                for (String line : s.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        in.skipNBytes(Long.parseLong(line.substring(15).trim()));
                    }
                }
                return s;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        listener.close();
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return name + " (" + origin() + ", " + mode + ")";
    }
}
