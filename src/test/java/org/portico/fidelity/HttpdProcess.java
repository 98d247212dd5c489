package org.portico.fidelity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A real Apache httpd 2.4 (Debian's {@code apache2}) run in the foreground from a temporary ServerRoot,
 * listening on a free loopback port, with one child process so that balancer state is easy to follow;
 * stopped by its PID.
 */
public final class HttpdProcess implements AutoCloseable {

    /** Debian's binary; {@link #installed()} says whether it is there. */
    public static final Path BINARY = Path.of("/usr/sbin/apache2");
    public static final Path MODULES = Path.of("/usr/lib/apache2/modules");

    /**
     * Modules the preamble loads, when present: mod_proxy and its balancer as the seed configurations
     * name them, plus what their sections use (headers, authz for {@code Require}, ajp so that
     * {@code ajp://} members are accepted, wstunnel so that {@code ws://} ones are, hcheck for the health checks; its watchdog is built in).
     */
    private static final List<String> MODULE_NAMES = List.of("mpm_event", "authz_core", "authz_host", "headers",
            "proxy", "proxy_http", "proxy_ajp", "proxy_wstunnel", "proxy_balancer", "slotmem_shm",
            "lbmethod_byrequests", "lbmethod_bytraffic", "lbmethod_bybusyness", "proxy_hcheck");

    /** The ServerName both sides are given: it shows in X-Forwarded-Server and Via. */
    public static final String SERVER_NAME = "fidelity.test";

    private final Path root;
    private final int port;
    private final Process process;

    private HttpdProcess(Path root, int port, Process process) {
        this.root = root;
        this.port = port;
        this.process = process;
    }

    /** Whether httpd and its proxy modules are installed here. */
    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isRegularFile(MODULES.resolve("mod_proxy_balancer.so"));
    }

    /**
     * The server-wide lines both httpd and Portico are given before a scenario's own configuration:
     * modules, the listening port, one child process, files kept in {@code root}. Portico reports them
     * as not imported and listens where it is told.
     */
    public static String preamble(Path root, int port) {
        String modules = MODULE_NAMES.stream()
                .filter(m -> Files.isRegularFile(MODULES.resolve("mod_" + m + ".so")))
                .map(m -> "LoadModule " + m + "_module " + MODULES.resolve("mod_" + m + ".so"))
                .collect(Collectors.joining("\n"));
        // as root httpd must switch its children to a user that exists; as anyone else it cannot and must not try
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        return """
                ServerRoot %1$s
                Listen 127.0.0.1:%2$d
                ServerName %3$s
                %4$s
                %5$s
                PidFile %1$s/httpd.pid
                ErrorLog %1$s/error.log
                LogLevel warn
                DefaultRuntimeDir %1$s
                Mutex file:%1$s
                StartServers 1
                ServerLimit 1
                ThreadsPerChild 25
                MaxRequestWorkers 25
                """.formatted(root, port, SERVER_NAME, modules, asRoot ? "User www-data\nGroup www-data" : "");
    }

    /**
     * Starts httpd on {@code conf} (which must hold the {@link #preamble} for {@code root} and
     * {@code port}) and waits until it accepts connections.
     */
    public static HttpdProcess start(Path root, int port, Path conf, Duration timeout) throws Exception {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process p = new ProcessBuilder(BINARY.toString(), "-f", conf.toString(), "-DFOREGROUND")
                .redirectErrorStream(true).redirectOutput(root.resolve("stdout.log").toFile()).start();
        HttpdProcess httpd = new HttpdProcess(root, port, p);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!httpd.accepts()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String why = httpd.log();
                httpd.close();
                throw new IllegalStateException("httpd did not start on port " + port + ":\n" + why);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return httpd;
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port free at the time of asking. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** What httpd wrote on its console and in its error log. */
    public String log() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("stdout.log", "error.log")) {
            try {
                sb.append(Files.readString(root.resolve(name)));
            } catch (IOException absent) {
                // not written yet
            }
        }
        return sb.toString();
    }

    /** Stops httpd by the PID of the process started here (SIGTERM stops its children too). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
