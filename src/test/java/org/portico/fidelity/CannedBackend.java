package org.portico.fidelity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.portico.testkit.RecordedRequest;

/**
 * A backend on a raw socket (127.0.0.1, ephemeral port) that answers each path with fixed bytes, for
 * what a Jetty backend cannot say: a custom reason phrase, an exact Content-Type, interim 1xx
 * responses, old date formats, odd Set-Cookie and Location values. Every answer says
 * {@code Connection: close} and closes; {@code {self}} in an answer is the backend's own origin.
 * Records every request head as a {@link RecordedRequest} named {@code canned}.
 */
public final class CannedBackend implements AutoCloseable {

    /** The answers by path (query ignored); an unknown path gets 404. */
    static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("/reason", "HTTP/1.1 599 Custom Reason\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\ncustom\n"),
            Map.entry("/fine", "HTTP/1.1 200 Fine Thanks\r\nContent-Type: text/plain\r\n\r\nfine\n"),
            Map.entry("/switch", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"),
            Map.entry("/forbidden", "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nnot for you\n"),
            Map.entry("/ise", "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nbackend failed\n"),
            Map.entry("/content-type", "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>hi</p>\n"),
            Map.entry("/early-hints", "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhinted\n"),
            Map.entry("/processing", "HTTP/1.1 102 Processing\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nprocessed\n"),
            Map.entry("/dates", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nExpires: 0\r\n"
                    + "Last-Modified: Sunday, 06-Nov-94 08:49:37 GMT\r\nX-Date: Sun Nov  6 08:49:37 1994\r\n\r\ndates\n"),
            Map.entry("/dup-path-cookie", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    + "Set-Cookie: s=1; path=/a; path=/b\r\n\r\ncookie\n"),
            Map.entry("/empty-302", "HTTP/1.1 302 Found\r\nLocation: /landing\r\nContent-Length: 0\r\n\r\n"),
            Map.entry("/locations", "HTTP/1.1 302 Found\r\nLocation: {self}/landed\r\nContent-Location: {self}/cl\r\n"
                    + "URI: {self}/uri\r\nContent-Type: text/plain\r\n\r\nmoved\n"),
            Map.entry("/bare-location", "HTTP/1.1 302 Found\r\nLocation: {self}\r\nContent-Type: text/plain\r\n\r\nbare\n"),
            Map.entry("/no-length", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Framing: close\r\n\r\nuntil close\n"),
            Map.entry("/many-headers", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    + "X-Many: 1\r\n".repeat(150) + "\r\nmany\n"));

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "canned-backend");
        t.setDaemon(true);
        return t;
    });
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

    private CannedBackend() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    public static CannedBackend start() throws IOException {
        CannedBackend b = new CannedBackend();
        b.threads.execute(b::acceptLoop);
        return b;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    public List<RecordedRequest> received() {
        return List.copyOf(received);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                threads.execute(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            List<RecordedRequest.Field> fields = new ArrayList<>();
            String[] lines = head.split("\r\n");
            long length = 0;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    String name = lines[i].substring(0, colon);
                    String value = lines[i].substring(colon + 1).trim();
                    fields.add(new RecordedRequest.Field(name, value));
                    if (name.equalsIgnoreCase("Content-Length")) {
                        length = Long.parseLong(value);
                    }
                }
            }
            byte[] body = in.readNBytes((int) length);
            String[] requestLine = lines[0].split(" ");
            received.add(new RecordedRequest("canned", requestLine[0], requestLine[1], fields, body));
            String path = requestLine[1].split("\\?")[0];
            String answer = ANSWERS.getOrDefault(path, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such canned answer\n");
            s.getOutputStream().write(frame(answer.replace("{self}", origin()),
                    requestLine[0].equals("HEAD")).getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            while (in.read() >= 0) {
                // let the proxy close first, so no reset destroys the answer
            }
        } catch (IOException | RuntimeException e) {
            // the proxy went away
        }
    }

    /** A 101 as it is; else adds Connection: close, and Content-Length to the final response unless it says how it ends. */
    private static String frame(String answer, boolean head) {
        if (answer.startsWith("HTTP/1.1 101 ")) {
            return answer; // a switch: no body, no framing, the connection is the new protocol's
        }
        int last = answer.lastIndexOf("HTTP/1.1 ");
        String interim = answer.substring(0, last);
        String fin = answer.substring(last);
        int end = fin.indexOf("\r\n\r\n");
        String headPart = fin.substring(0, end);
        String body = fin.substring(end + 4);
        StringBuilder sb = new StringBuilder(interim).append(headPart).append("\r\nConnection: close");
        String lower = headPart.toLowerCase(Locale.ROOT);
        if (!lower.contains("\r\ncontent-length:") && !lower.contains("x-framing: close")) {
            sb.append("\r\nContent-Length: ").append(body.length());
        }
        sb.append("\r\n\r\n");
        if (!head) {
            sb.append(body);
        }
        return sb.toString();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
