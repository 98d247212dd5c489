import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portico.testkit.Backend;
import org.portico.testkit.WebSocketBackend;

/**
 * WebSocket echo through Portico beside plain HTTP/1.1 GETs through Portico, both also straight to the backend.
 * Starts the test kit's WebSocket echo backend and HTTP backend in this JVM, the standalone jar as a process with
 * a descriptor for both (stopped by its PID at the end), then measures:
 *   - WebSocket: C sockets, each sending a SIZE-byte text message and waiting for its echo, for S seconds
 *     (round trips per second, i.e. messages echoed per second);
 *   - HTTP: wrk -c C -t 2 -d S on GET /name (a 3-byte body) through Portico and direct.
 * Run by bench/websocket-echo.sh, which builds the class path: java -cp CP bench/WebSocketEcho.java [C] [S] [SIZE]
 */
public class WebSocketEcho {

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        try (WebSocketBackend ws = new WebSocketBackend("echo"); Backend http = Backend.start("b1")) {
            Path descriptor = Files.createTempFile("portico-bench-ws", ".xml");
            Files.writeString(descriptor, """
                    <portico xmlns="urn:portico:descriptor:1">
                      <pass path="/ws/" to="ws://127.0.0.1:%d/echo/"/>
                      <pass path="/http/" to="%s/"/>
                    </portico>
                    """.formatted(ws.port(), http.origin()));
            Process portico = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", "target/portico-standalone.jar", "--config", descriptor.toString(), "--port", "0")
                    .redirectErrorStream(true).start();
            try {
                String base = awaitUrl(portico);
                System.out.printf("%d connections, %d s each, %d-byte messages; Portico pid %d%n", connections, seconds,
                        size, portico.pid());
                String wsBase = base.replace("http://", "ws://");
                echo(URI.create("ws://127.0.0.1:" + ws.port() + "/echo/warm"), connections, 3, size);
                echo(URI.create(wsBase + "ws/warm"), connections, 3, size);
                double direct = echo(URI.create("ws://127.0.0.1:" + ws.port() + "/echo/x"), connections, seconds, size);
                double proxied = echo(URI.create(wsBase + "ws/x"), connections, seconds, size);
                wrk(base + "http/name", connections, 3);
                double getsDirect = wrk(http.origin() + "/name", connections, seconds);
                double getsProxied = wrk(base + "http/name", connections, seconds);
                System.out.printf("%-40s %12s %12s%n", "", "direct", "via Portico");
                System.out.printf("%-40s %12.0f %12.0f%n", "WebSocket echo, messages/s", direct, proxied);
                System.out.printf("%-40s %12.0f %12.0f%n", "HTTP/1.1 GET (keep-alive, wrk), requests/s", getsDirect, getsProxied);
            } finally {
                portico.destroy();
                portico.waitFor(30, TimeUnit.SECONDS);
                Files.deleteIfExists(descriptor);
            }
        }
    }

    private static String awaitUrl(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern serving = Pattern.compile("is serving on (http://\\S+)");
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            Matcher m = serving.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        r.lines().forEach(l -> { });
                    } catch (java.io.UncheckedIOException e) {
                        // Portico stopped
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("Portico exited without serving");
    }

    /** Echo round trips per second over {@code connections} sockets, each with one message in flight. */
    private static double echo(URI uri, int connections, int seconds, int size) throws Exception {
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
        String message = "x".repeat(size);
        LongAdder echoed = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            sockets.add(client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        text.setLength(0);
                        echoed.increment();
                        if (running.get()) {
                            w.sendText(message, true);
                        }
                    }
                    w.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS));
        }
        long t0 = System.nanoTime();
        for (WebSocket w : sockets) {
            w.sendText(message, true);
        }
        Thread.sleep(seconds * 1000L); // the measured interval
        running.set(false);
        double rate = echoed.sum() / ((System.nanoTime() - t0) / 1e9);
        List<CompletableFuture<WebSocket>> closing = new ArrayList<>();
        for (WebSocket w : sockets) {
            closing.add(w.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null));
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return rate;
    }

    /** wrk's requests/s for {@code url}. */
    private static double wrk(String url, int connections, int seconds) throws Exception {
        Process p = new ProcessBuilder("wrk", "-c", Integer.toString(connections), "-t", "2", "-d", seconds + "s", url)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk said:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }
}
