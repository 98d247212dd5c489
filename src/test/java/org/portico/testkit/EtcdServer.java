package org.portico.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd ({@code /usr/bin/etcd}, Debian's etcd-server) on loopback, one member, its data in a temp directory:
 * free ports found by binding port 0 first (etcd takes no port 0), tried again on a bind failure. Stopped by its PID;
 * {@link #restart()} brings it back on the same ports and data, as an operator's restart does.
 */
public final class EtcdServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/etcd");

    private final Path dataDir;
    private final Path log;
    private int clientPort;
    private int peerPort;
    private Process process;

    private EtcdServer() throws IOException {
        dataDir = Files.createTempDirectory("portico-etcd");
        log = Files.createTempFile("portico-etcd", ".log");
    }

    /** Starts etcd and waits until it answers its health check. */
    public static EtcdServer start() throws Exception {
        EtcdServer s = new EtcdServer();
        for (int attempt = 1; ; attempt++) {
            s.clientPort = freePort();
            s.peerPort = freePort();
            try {
                s.launch();
                return s;
            } catch (IllegalStateException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void launch() throws Exception {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--name", "portico-test",
                "--data-dir", dataDir.toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "portico-test=" + peer, "--log-level", "warn"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("true")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(50); // a pause between polls of the health check, not a guess at readiness
        }
        stop();
        throw new IllegalStateException("etcd did not become healthy in 30 s: " + Files.readString(log));
    }

    /** {@code 127.0.0.1:port} of the client listener. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops etcd by its PID and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts it again on the same ports and data. */
    public void restart() throws Exception {
        stop();
        launch();
    }

    /** Compacts the store's history up to its current revision, through etcd's JSON gateway. */
    public void compact() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://" + endpoint();
        String put = http.send(HttpRequest.newBuilder(URI.create(base + "/v3/kv/put"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"X19wb3J0aWNvX2NvbXBhY3Q=\",\"value\":\"eA==\"}"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"revision\":\"(\\d+)\"").matcher(put);
        if (!m.find()) {
            throw new IllegalStateException("no revision in " + put);
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v3/kv/compaction"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":\"" + m.group(1) + "\",\"physical\":true}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
            throw new IllegalStateException("compaction refused: " + r.statusCode() + " " + r.body());
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(log);
    }
}
