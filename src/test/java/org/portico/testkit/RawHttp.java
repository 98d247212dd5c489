package org.portico.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 client on a plain socket for byte-level checks: it sends exactly the bytes given
 * (hop-by-hop headers, raw brackets, Content-Length: 0, chunked bodies) and reports exactly what
 * came back, including whether the body was complete or the connection ended early. A
 * {@link Conversation} reads a response step by step, so a test can act between the head and the
 * end of the body. Every read is bounded by a socket timeout.
 */
public final class RawHttp {

    static final int TIMEOUT_MILLIS = 15_000;

    private final String host;
    private final int port;

    public RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Sends {@code request} (ISO-8859-1 text with CRLF line ends, written as is) and reads one response.
     * Interim 1xx responses are skipped. When the request asks for {@code Connection: close}, whatever
     * arrives after the framed response until the server closes is kept in {@link RawResponse#afterBody()}.
     */
    public RawResponse exchange(String request) throws IOException {
        try (Conversation c = open()) {
            c.send(request);
            ResponseHead head = c.readHead(request.startsWith("HEAD "));
            Body body = c.readRest();
            byte[] after = asksToClose(request) ? c.readUntilClose() : new byte[0];
            return new RawResponse(head.statusLine(), head.status(), head.headers(), body.bytes(), body.complete(), after);
        }
    }

    /**
     * Sends {@code request} from a thread of its own while this one reads, and returns everything that arrives until
     * the server closes. A server that refuses a request before reading all of it (a head or body over a limit)
     * answers and closes with the rest unread: a client that wrote first would meet a broken pipe or reset once the
     * socket buffers are full, and never read the answer.
     */
    public String answerUntilClose(String request) throws IOException {
        try (Conversation c = open()) {
            Thread writer = new Thread(() -> {
                try {
                    c.send(request);
                } catch (IOException refused) {
                    // the server stopped reading: its answer, read below, says why
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            return new String(c.readUntilClose(), StandardCharsets.ISO_8859_1); // closing the socket ends the writer
        }
    }

    /** Connects and returns a conversation on the new socket. */
    public Conversation open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return new Conversation(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static boolean asksToClose(String request) {
        String text = request.toLowerCase(Locale.ROOT);
        int end = text.indexOf("\r\n\r\n");
        return (end < 0 ? text : text.substring(0, end)).contains("\r\nconnection: close");
    }

    /** A status line and the header fields that followed it. */
    public record ResponseHead(String statusLine, int status, List<RecordedRequest.Field> headers) {

        public String header(String name) {
            return headers.stream().filter(f -> f.is(name)).map(RecordedRequest.Field::value).findFirst().orElse(null);
        }

        public List<String> headers(String name) {
            return headers.stream().filter(f -> f.is(name)).map(RecordedRequest.Field::value).toList();
        }
    }

    /**
     * Body bytes read so far.
     *
     * @param complete whether the framing says the body is over: all Content-Length bytes, or the last
     *        chunk and the end of the trailers, or the close of a close-delimited body
     */
    public record Body(byte[] bytes, boolean complete) {
    }

    /** One connection, read one step at a time. Not thread-safe. */
    public static final class Conversation implements AutoCloseable {

        private enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private Framing framing = Framing.NONE;
        /** LENGTH: bytes still to come; CHUNKED: bytes left in the current chunk (0 at a chunk boundary). */
        private long remaining;
        private boolean firstChunk;
        private boolean ended;

        private Conversation(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        public void send(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Reads the final response's head; interim 1xx responses are skipped. */
        public ResponseHead readHead(boolean toHead) throws IOException {
            while (true) {
                String statusLine = readLine();
                if (statusLine == null) {
                    throw new IOException("the connection closed before a status line arrived");
                }
                List<RecordedRequest.Field> headers = new ArrayList<>();
                for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
                    int colon = line.indexOf(':');
                    headers.add(new RecordedRequest.Field(line.substring(0, colon), line.substring(colon + 1).trim()));
                }
                int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
                if (status < 200 && status != 101) {
                    continue;
                }
                ResponseHead head = new ResponseHead(statusLine, status, headers);
                String te = head.header("Transfer-Encoding");
                String cl = head.header("Content-Length");
                ended = false;
                if (toHead || status == 101 || status == 204 || status == 304) {
                    framing = Framing.NONE;
                    ended = true;
                } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                    framing = Framing.CHUNKED;
                    remaining = 0;
                    firstChunk = true;
                } else if (cl != null) {
                    framing = Framing.LENGTH;
                    remaining = Long.parseLong(cl.trim());
                    ended = remaining == 0;
                } else {
                    framing = Framing.UNTIL_CLOSE;
                }
                return head;
            }
        }

        /** Reads up to {@code max} body bytes, fewer only when the body or the connection ends first. */
        public Body readBody(long max) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (!ended && bytes.size() < max) {
                if (framing == Framing.CHUNKED && remaining == 0 && !nextChunk()) {
                    break;
                }
                long want = max - bytes.size();
                if (framing != Framing.UNTIL_CLOSE) {
                    want = Math.min(want, remaining);
                }
                byte[] buf = new byte[(int) Math.min(8192, want)];
                int n = read(buf);
                if (n < 0) {
                    if (framing == Framing.UNTIL_CLOSE) {
                        ended = true;
                        return new Body(bytes.toByteArray(), true);
                    }
                    return new Body(bytes.toByteArray(), false);
                }
                bytes.write(buf, 0, n);
                if (framing != Framing.UNTIL_CLOSE) {
                    remaining -= n;
                    if (framing == Framing.LENGTH && remaining == 0) {
                        ended = true;
                    }
                }
            }
            return new Body(bytes.toByteArray(), ended);
        }

        /** Reads the rest of the body, until its framing ends it or the connection ends. */
        public Body readRest() throws IOException {
            return readBody(Long.MAX_VALUE);
        }

        /** Everything that arrives until the server closes the connection. */
        public byte[] readUntilClose() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n = read(buf); n >= 0; n = read(buf)) {
                bytes.write(buf, 0, n);
            }
            return bytes.toByteArray();
        }

        /** Moves past the CRLF of the previous chunk and reads the next size line; false at EOF or the last chunk. */
        private boolean nextChunk() throws IOException {
            if (!firstChunk && readLine() == null) {
                return false;
            }
            firstChunk = false;
            String sizeLine = readLine();
            if (sizeLine == null) {
                return false;
            }
            int semicolon = sizeLine.indexOf(';');
            remaining = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (remaining > 0) {
                return true;
            }
            for (String trailer = readLine(); trailer != null; trailer = readLine()) {
                if (trailer.isEmpty()) {
                    ended = true;
                    return false;
                }
            }
            return false;
        }

        /** Like InputStream.read, with a reset counted as the end of the stream; a timeout fails. */
        private int read(byte[] buf) throws IOException {
            try {
                return in.read(buf, 0, buf.length);
            } catch (SocketTimeoutException e) {
                throw new IOException("nothing arrived for " + TIMEOUT_MILLIS + " ms", e);
            } catch (IOException reset) {
                return -1;
            }
        }

        /** A line without its CRLF; null at the end of the stream. */
        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] one = new byte[1];
            while (true) {
                if (read(one) < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
                }
                if (one[0] == '\n') {
                    String s = line.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                line.write(one[0]);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * One response as it came over the wire.
     *
     * @param body the body bytes, de-chunked
     * @param complete whether the body was framed completely: all Content-Length bytes, or the last chunk;
     *        false means the connection ended early
     * @param afterBody bytes that arrived after the framed response until the server closed (requests
     *        with {@code Connection: close} only); empty for a correct server
     */
    public record RawResponse(String statusLine, int status, List<RecordedRequest.Field> headers, byte[] body,
                              boolean complete, byte[] afterBody) {

        public String header(String name) {
            return new ResponseHead(statusLine, status, headers).header(name);
        }

        public List<String> headers(String name) {
            return new ResponseHead(statusLine, status, headers).headers(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
