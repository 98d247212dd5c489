import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive client connections to a proxy on 127.0.0.1, sends one request on each and
 * reads its response, keeps them all open, then prints the proxy process's thread count and RSS.
 * Usage: java bench/IdleConnections.java PORT PID [N] [PATH]
 */
public class IdleConnections {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        String path = args.length > 3 ? args[3] : "/small";
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Socket> open = new ArrayList<>(n);
        long start = System.nanoTime();
        int ok = 0;
        byte[] buf = new byte[8192];
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                open.add(s);
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = s.getInputStream();
                int r = in.read(buf);
                if (r > 12 && new String(buf, 0, 12, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) {
                    ok++;
                }
            }
            System.out.printf("open keep-alive connections: %d (first responses 200: %d) in %.1f s%n",
                    open.size(), ok, (System.nanoTime() - start) / 1e9);
            Thread.sleep(2000);
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:") || line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    System.out.println("proxy " + line.replaceAll("\\s+", " "));
                }
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
