import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * Backends on 127.0.0.1 that answer every request after a fixed delay, one per argument
 * (PORT:DELAY_MS); stays in the foreground until killed. Usage: java bench/SlowBackends.java 18201:2 18202:2 18203:20
 */
public class SlowBackends {
    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            String[] p = arg.split(":");
            int port = Integer.parseInt(p[0]);
            long delay = Long.parseLong(p[1]);
            byte[] body = ("backend " + port + " (" + delay + " ms)\n").getBytes();
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
            s.setExecutor(Executors.newFixedThreadPool(128));
            s.createContext("/", ex -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.getResponseHeaders().add("X-Backend", String.valueOf(port));
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            s.start();
        }
        System.out.println("backends ready");
        Thread.currentThread().join();
    }
}
