package org.portico.fidelity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.portico.testkit.RecordedRequest;

/**
 * Sends one request's exact bytes on a new loopback connection and reads the answer as it came,
 * interim 1xx responses included (which {@code testkit.RawHttp} skips), within a deadline.
 */
final class WireClient {

    /**
     * The longest an answer may take: a timed request waits for a held backend, which the run releases
     * after 5 s; any other gets 15 s, enough for a cold JVM on a machine busy with other builds, so that a proxy
     * that never answers costs little.
     */
    static final int TIMED_MILLIS = 12_000;
    static final int UNTIMED_MILLIS = 15_000;

    /**
     * What came back.
     *
     * @param interim the 1xx status lines and their headers that came before the final response
     * @param failure why no (complete) response came, or null
     */
    record Answer(List<String> interim, String statusLine, List<RecordedRequest.Field> headers, byte[] body,
                  boolean complete, String failure, long millis) {

        String header(String name) {
            return headers.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(RecordedRequest.Field::value)
                    .findFirst().orElse(null);
        }
    }

    private WireClient() {
    }

    /** Sends {@code request} on a new connection, closed once the answer is read. */
    static Answer exchange(int port, byte[] request, boolean head, boolean connect, int timeoutMillis) {
        try (Connection c = new Connection(port)) {
            return c.exchange(request, head, connect, timeoutMillis);
        }
    }

    /**
     * One client connection kept open from request to request, as a browser keeps it: the proxy reads the next
     * request only after it has finished the previous one (httpd runs its post-request hooks, which release a
     * member's busy count, after the answer has reached the client, so on fresh connections the next request may
     * see the previous one still busy). Opened on first use, and again after the other side closed it. Not
     * thread-safe.
     */
    static final class Connection implements AutoCloseable {
        private final int port;
        private Socket socket;

        Connection(int port) {
            this.port = port;
        }

        Answer exchange(byte[] request, boolean head, boolean connect, int timeoutMillis) {
            long start = System.nanoTime();
            List<String> interim = new ArrayList<>();
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
                }
                socket.setSoTimeout(timeoutMillis);
                Thread writer = send(socket, request);
                Answer answer = read(socket.getInputStream(), interim, head, connect, start);
                String connection = answer.header("Connection");
                if (!answer.complete() || answer.statusLine() == null
                        || connection != null && connection.equalsIgnoreCase("close")) {
                    close(); // also ends a write the server stopped reading
                } else {
                    writer.join(timeoutMillis); // a server that keeps the connection reads the whole request
                    if (writer.isAlive()) {
                        close();
                    }
                }
                return answer;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                return failed(interim, "interrupted", start);
            } catch (SocketTimeoutException e) {
                close();
                return failed(interim, "no answer within " + timeoutMillis / 1000 + " s", start);
            } catch (IOException e) {
                close();
                return failed(interim, "the connection failed: " + e.getMessage(), start);
            }
        }

        /**
         * Writes {@code request} from a thread of its own, so that the answer is read while it goes out: a proxy that
         * refuses a request before reading all of it (a head over its limits) answers and closes with the rest
         * unread, and a client that wrote first would meet a broken pipe once the socket buffers filled.
         */
        private static Thread send(Socket socket, byte[] request) {
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(request);
                    socket.getOutputStream().flush();
                } catch (IOException refused) {
                    // the other side stopped reading: its answer, or its silence, is what the scenario observes
                }
            }, "wire-client-writer");
            writer.setDaemon(true);
            writer.start();
            return writer;
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a loopback socket we are done with
                }
                socket = null;
            }
        }
    }

    private static Answer read(InputStream in, List<String> interim, boolean head, boolean connect, long start)
            throws IOException {
        while (true) {
            String statusLine = readLine(in);
            if (statusLine == null) {
                return failed(interim, "the connection closed before a status line arrived", start);
            }
            List<RecordedRequest.Field> headers = new ArrayList<>();
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.add(colon < 0 ? new RecordedRequest.Field(line, "(no colon)")
                        : new RecordedRequest.Field(line.substring(0, colon), line.substring(colon + 1).trim()));
            }
            int status = status(statusLine);
            if (status >= 100 && status < 200 && status != 101) {
                interim.add(statusLine);
                headers.forEach(f -> interim.add("  " + f.name().toLowerCase(Locale.ROOT) + ": " + f.value()));
                continue;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean complete = readBody(in, headers, head || connect && status / 100 == 2 || status == 204
                    || status == 304 || status == 101, body);
            return new Answer(interim, statusLine, headers, body.toByteArray(), complete, null, millis);
        }
    }

    private static Answer failed(List<String> interim, String why, long start) {
        return new Answer(interim, null, List.of(), new byte[0], false, why, (System.nanoTime() - start) / 1_000_000);
    }

    private static int status(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads the body as framed; false when the connection ended (or stalled) before its end. */
    private static boolean readBody(InputStream in, List<RecordedRequest.Field> headers, boolean none,
                                    ByteArrayOutputStream body) throws IOException {
        if (none) {
            return true;
        }
        String te = value(headers, "Transfer-Encoding");
        String cl = value(headers, "Content-Length");
        try {
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                while (true) {
                    String size = readLine(in);
                    if (size == null) {
                        return false;
                    }
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        for (String t = readLine(in); t != null && !t.isEmpty(); t = readLine(in)) {
                            // trailers are not compared
                        }
                        return true;
                    }
                    byte[] chunk = in.readNBytes(n);
                    body.write(chunk);
                    if (chunk.length < n || readLine(in) == null) {
                        return false;
                    }
                }
            }
            if (cl != null) {
                long n = Long.parseLong(cl.trim());
                byte[] bytes = in.readNBytes((int) n);
                body.write(bytes);
                return bytes.length == n;
            }
            body.write(in.readAllBytes());
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static String value(List<RecordedRequest.Field> headers, String name) {
        return headers.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(RecordedRequest.Field::value)
                .findFirst().orElse(null);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException reset) {
                b = -1;
            }
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
    }
}
