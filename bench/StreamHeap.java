import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams GIB gibibytes each way through the standalone jar started with -Xmx64m and reports the
 * heap after every GC (from the JVM's GC log): flat means no body is held in memory.
 * Usage (from the project root): java bench/StreamHeap.java [GIB]
 */
public class StreamHeap {
    public static void main(String[] args) throws Exception {
        long gib = args.length > 0 ? Long.parseLong(args[0]) : 10;
        long total = gib << 30;
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        backend.createContext("/down", ex -> {
            ex.sendResponseHeaders(200, total);
            byte[] buf = new byte[256 * 1024];
            try (OutputStream out = ex.getResponseBody()) {
                for (long left = total; left > 0; left -= buf.length) {
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
            }
        });
        backend.createContext("/up", ex -> {
            long n = 0;
            byte[] buf = new byte[256 * 1024];
            try (InputStream in = ex.getRequestBody()) {
                for (int r; (r = in.read(buf)) > 0; ) {
                    n += r;
                }
            }
            byte[] body = Long.toString(n).getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        backend.start();
        Path descriptor = Files.createTempFile("stream-heap", ".xml");
        Files.writeString(descriptor, "<portico xmlns=\"urn:portico:descriptor:1\"><pass path=\"/\" to=\"http://127.0.0.1:"
                + backend.getAddress().getPort() + "/\"/></portico>");
        Path gcLog = Files.createTempFile("stream-heap-gc", ".log");
        int port = 18191;
        Process portico = new ProcessBuilder("java", "-Xmx64m", "-XX:+UseG1GC", "-Xlog:gc:file=" + gcLog,
                "-jar", "target/portico-standalone.jar", "--config", descriptor.toString(), "--port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(Path.of("/tmp/stream-heap-portico.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !Files.readString(Path.of("/tmp/stream-heap-portico.log")).contains("is serving on"); i++) {
                Thread.sleep(100);
            }
            long t0 = System.nanoTime();
            HttpURLConnection down = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/down").toURL().openConnection();
            long got = 0;
            byte[] buf = new byte[256 * 1024];
            try (InputStream in = down.getInputStream()) {
                for (int r; (r = in.read(buf)) > 0; ) {
                    got += r;
                }
            }
            double downS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            HttpURLConnection up = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/up").toURL().openConnection();
            up.setDoOutput(true);
            up.setRequestMethod("POST");
            up.setFixedLengthStreamingMode(total);
            try (OutputStream out = up.getOutputStream()) {
                for (long left = total; left > 0; left -= buf.length) {
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
            }
            String received = new String(up.getInputStream().readAllBytes());
            double upS = (System.nanoTime() - t0) / 1e9;
            System.out.printf("download: %d bytes in %.1f s (%.0f MiB/s); upload: backend got %s bytes in %.1f s (%.0f MiB/s)%n",
                    got, downS, got / downS / (1 << 20), received, upS, total / upS / (1 << 20));
            List<Integer> after = new ArrayList<>();
            Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(gcLog));
            while (m.find()) {
                after.add(Integer.parseInt(m.group(2)));
            }
            System.out.printf("GCs: %d, heap after GC (MiB): min %d, max %d, last %d; -Xmx64m%n", after.size(),
                    after.stream().mapToInt(Integer::intValue).min().orElse(0),
                    after.stream().mapToInt(Integer::intValue).max().orElse(0),
                    after.isEmpty() ? 0 : after.get(after.size() - 1));
        } finally {
            portico.destroy();
            portico.waitFor();
            backend.stop(0);
            System.exit(0);
        }
    }
}
