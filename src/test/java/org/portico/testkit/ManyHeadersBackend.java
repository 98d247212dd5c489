package org.portico.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend on a raw socket (127.0.0.1, ephemeral port) that answers {@code GET /headers/N} with 200, N
 * header fields {@code X-H<i>: v<i>} and the body {@code ok}: no HTTP library of its own limits the
 * head it sends. One request per connection.
 */
public final class ManyHeadersBackend implements AutoCloseable {

    private static final Pattern COUNT = Pattern.compile("^GET \\S*/headers/(\\d+)");

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "many-headers-backend");
        t.setDaemon(true);
        return t;
    });

    private ManyHeadersBackend() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    public static ManyHeadersBackend start() throws IOException {
        ManyHeadersBackend b = new ManyHeadersBackend();
        b.threads.execute(b::accept);
        return b;
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    public String origin() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                threads.execute(() -> answer(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void answer(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            Matcher m = COUNT.matcher(readHead(in));
            int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
            StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n");
            for (int i = 0; i < n; i++) {
                head.append("X-H").append(i).append(": v").append(i).append("\r\n");
            }
            head.append("\r\nok");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            in.readAllBytes(); // until the proxy closes: a FIN, never a reset that could destroy the answer
        } catch (IOException e) {
            // the proxy went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
