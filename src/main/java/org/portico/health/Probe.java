package org.portico.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.portico.backend.ajp.Cping;
import org.portico.config.HealthCheck;
import org.portico.config.ProxySettings;
import org.portico.config.TrustStoreConfig;
import org.portico.config.WorkerConfig;

/**
 * Runs one health check on a plain blocking socket, on the calling (health-check) thread: connect
 * (TCP), or send {@link CheckRequest}'s bytes and read the response, then close the connection as httpd
 * does. Bounded by the member's {@code connectiontimeout} and {@code timeout} (else ProxyTimeout).
 * Thread-safe.
 */
final class Probe {

    /** httpd keeps the whole body; Portico reads this much of it, enough for any health page. */
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_HEAD = 64 * 1024;

    private final ProxySettings settings;
    private final Map<String, SSLSocketFactory> tls = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    Probe(ProxySettings settings) {
        this.settings = settings;
    }

    /** Checks {@code member} as {@code hc} says; {@code expr} is its compiled hcexpr, or null. */
    CheckOutcome check(WorkerConfig member, HealthCheck hc, HcExpression expr) {
        long started = System.currentTimeMillis();
        long t0 = System.nanoTime();
        boolean passed;
        String detail;
        int connectTimeout = millis(member.params().effectiveConnectTimeout(settings).toMillis());
        int readTimeout = millis(member.params().effectiveTimeout(settings).toMillis());
        Socket socket = null;
        try {
            socket = connect(member, connectTimeout);
            if (hc.method().equalsIgnoreCase("TCP")) {
                passed = true;
                detail = "connected";
            } else if (hc.method().equalsIgnoreCase("CPING")) {
                // httpd waits for the CPONG up to the member's ping, else its timeout
                java.time.Duration ping = member.params().ping();
                socket.setSoTimeout(ping != null ? millis(ping.toMillis()) : readTimeout);
                OutputStream out = socket.getOutputStream();
                out.write(Cping.request());
                out.flush();
                String wrong = Cping.checkReply(socket.getInputStream());
                passed = wrong == null;
                detail = passed ? "CPONG" : "CPING answered with " + wrong;
            } else {
                socket.setSoTimeout(readTimeout);
                CheckRequest request = CheckRequest.of(member, hc);
                OutputStream out = socket.getOutputStream();
                out.write(request.bytes());
                out.flush();
                CheckResponse response = read(socket.getInputStream(), request.readsBody());
                if (expr == null) {
                    passed = response.status() >= 200 && response.status() <= 399;
                    detail = request + ": status " + response.status();
                } else {
                    boolean ok;
                    String why;
                    try {
                        ok = expr.test(response);
                        why = "";
                    } catch (HcExpression.EvaluationError e) {
                        ok = false;
                        why = " (" + e.getMessage() + ")";
                    }
                    passed = ok;
                    detail = request + ": status " + response.status() + ", hcexpr " + hc.expr() + " " + ok + why;
                }
            }
        } catch (ConnectException e) {
            passed = false;
            detail = "connect: " + e.getMessage();
        } catch (SocketTimeoutException e) {
            passed = false;
            detail = "timed out: " + e.getMessage();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            passed = false;
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            if (socket != null) {
                closed(socket);
            }
        }
        return new CheckOutcome(passed, detail, started, System.nanoTime() - t0);
    }

    private Socket connect(WorkerConfig member, int timeout) throws IOException, GeneralSecurityException {
        Socket plain = new Socket();
        open.add(plain);
        if (aborted) {
            plain.close();
        }
        SSLSocket tlsSocket = null;
        try {
            plain.connect(new InetSocketAddress(member.host(), member.port()), timeout);
            if (!member.secure()) {
                return plain;
            }
            tlsSocket = (SSLSocket) factory(member.params().trustStore())
                    .createSocket(plain, member.host(), member.port(), true);
            open.add(tlsSocket);
            open.remove(plain); // closing the TLS socket closes the plain one
            tlsSocket.setSoTimeout(timeout);
            tlsSocket.startHandshake();
            return tlsSocket;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (tlsSocket != null) {
                closed(tlsSocket);
            }
            closed(plain);
            throw e;
        }
    }

    private void closed(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing a check's socket cannot fail in a way that matters
        }
    }

    /** Closes the sockets of running checks, which then fail at once; later checks fail to connect. */
    void abort() {
        aborted = true;
        for (Socket s : open) {
            closed(s);
        }
    }

    private SSLSocketFactory factory(TrustStoreConfig trust) throws GeneralSecurityException {
        if (trust == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        SSLSocketFactory f = tls.get(trust.id());
        if (f == null) {
            KeyStore ks = KeyStore.getInstance(trust.type());
            try (InputStream in = java.nio.file.Files.newInputStream(trust.path())) {
                ks.load(in, trust.password() == null ? null : trust.password().toCharArray());
            } catch (IOException e) {
                throw new GeneralSecurityException("trust-store " + trust.id() + ": " + e.getMessage(), e);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            f = ctx.getSocketFactory();
            tls.put(trust.id(), f);
        }
        return f;
    }

    /** Status line and headers, and for GET the body (Content-Length, chunked, or up to the close). */
    static CheckResponse read(InputStream raw, boolean readBody) throws IOException {
        InputStream in = new java.io.BufferedInputStream(raw);
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/") || statusLine.length() < 12) {
            throw new IOException("not an HTTP status line: " + (statusLine == null ? "(connection closed)" : statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        Map<String, String> headers = new HashMap<>();
        int headBytes = statusLine.length();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            headBytes += l.length();
            if (headBytes > MAX_HEAD) {
                throw new IOException("response head longer than " + MAX_HEAD + " bytes");
            }
            int colon = l.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
        }
        String body = "";
        if (readBody && status != 204 && status != 304 && status >= 200) {
            body = body(in, headers);
        }
        return new CheckResponse(status, headers, body);
    }

    private static String body(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            while (out.size() < MAX_BODY) {
                String size = line(in);
                if (size == null) {
                    break;
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    break;
                }
                copy(in, out, n);
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            copy(in, out, Long.parseLong(headers.get("content-length").trim()));
        } else {
            copy(in, out, Long.MAX_VALUE);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0 && out.size() < MAX_BODY) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, Math.min(left, MAX_BODY - out.size())));
            if (r < 0) {
                return;
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() > MAX_HEAD) {
                throw new IOException("response line longer than " + MAX_HEAD + " bytes");
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static int millis(long ms) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }
}
