package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * The header read timeout (mod_reqtimeout's header=): a client that sends its request head a line at a
 * time (slowloris) loses its connection at the deadline, while ordinary requests go on being served.
 */
@Timeout(120)
class StandaloneHeaderTimeoutIT {

    /** Well above the 2 s deadline, so a loaded machine cannot make a closed connection look open. */
    private static final Duration WITHIN = Duration.ofSeconds(15);

    private static Backend backend;
    private static PorticoProcess portico;
    private static URI url;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.start("origin");
        portico = PorticoProcess.start(List.of(), "--config", PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="%s/"/>
                </portico>
                """.formatted(backend.origin())).toString(), "--port", "0", "--header-timeout", "2s");
        url = URI.create(portico.awaitUrl(Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (portico != null) {
            portico.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aHeadSentALineAtATimeIsCutOffAtTheDeadline() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                slow.add(startHead());
            }
            for (Socket s : slow) {
                assertTrue(closedWhileDripping(s, start), "a connection still open " + WITHIN + " after its head began");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(1900)) >= 0, "closed before the 2s deadline: " + took);
            // the sweep logs once it has closed every late connection: the line may follow the closes a little
            portico.awaitOutput("header read timeout");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertEquals("origin", Http.get(url.resolve("name")).body(), "ordinary requests are served after the attack");
    }

    @Test
    void aKeptAliveConnectionGetsTheSameTimeForItsNextHead() throws Exception {
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            s.setSoTimeout(250);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + url.getPath() + "name HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readUntil(s.getInputStream(), "origin");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            long start = System.nanoTime();
            out.write("GET /next HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(closedWhileDripping(s, start), "the kept-alive connection's second head was never cut off");
        }
    }

    /** A connection on which a request head has begun. */
    private static Socket startHead() throws IOException {
        Socket s = new Socket(url.getHost(), url.getPort());
        s.setSoTimeout(50);
        s.getOutputStream().write(("GET " + url.getPath() + "name HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** Keeps adding header lines (each resets Jetty's idle timeout) until the server closes; false if it never does. */
    private static boolean closedWhileDripping(Socket s, long startNanos) {
        long end = startNanos + WITHIN.toNanos();
        int line = 0;
        try {
            while (System.nanoTime() < end) {
                s.getOutputStream().write(("X-Drip-" + line++ + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                try {
                    if (s.getInputStream().read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // still open: another line
                }
            }
            return false;
        } catch (IOException e) {
            return true; // reset, or the write met the closed connection
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder sb = new StringBuilder();
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!sb.toString().endsWith(end) && System.nanoTime() < deadline) {
            try {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                sb.append((char) c);
            } catch (SocketTimeoutException e) {
                // keep reading
            }
        }
        return sb.toString();
    }
}
