package org.portico.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends the jar's own HTTP listener requests that Portico refuses before any routing ({@code CONNECT}, which it
 * answers 400 as httpd does) before the jar says it is serving. On a cold JVM the first request otherwise pays
 * for loading and interpreting Jetty's and the servlet's request path, about 0.4 s: a worker's
 * {@code timeout=1} answered the first request after 1.6 s. Nothing is proxied and nothing is logged above
 * DEBUG; a failure only leaves the JVM as cold as before.
 */
final class ServerWarmUp {

    private static final int REQUESTS = 20;
    private static final byte[] REQUEST = ("CONNECT portico-warm-up:1 HTTP/1.1\r\nHost: portico-warm-up:1\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private ServerWarmUp() {
    }

    /** Warms the listener of {@code httpUrl}, an {@code http://} URL the jar serves on. */
    static void run(String httpUrl) {
        URI uri = URI.create(httpUrl);
        byte[] sink = new byte[8192];
        for (int i = 0; i < REQUESTS; i++) {
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(REQUEST);
                out.flush();
                InputStream in = s.getInputStream();
                while (in.read(sink) >= 0) {
                    // the answer is read to its end, which the close after it marks
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
