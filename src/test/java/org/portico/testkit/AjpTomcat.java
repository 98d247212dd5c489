package org.portico.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An embedded Tomcat with an AJP connector ({@code AjpNioProtocol}, with or without a secret) and an HTTP/1.1
 * connector, both on 127.0.0.1 and ephemeral ports, serving {@link EchoServlet} at the root: a real AJP
 * backend. It runs in a child JVM because the Jetty test runs keep Tomcat off their class path, and so that
 * a test can kill it like a crashed member. The child ends when its standard input closes (this JVM gone).
 */
public final class AjpTomcat implements AutoCloseable {

    private final Process process;
    /** Tomcat's base directory, made here and removed once the child ended. */
    private final Path base;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<int[]> ports = new CompletableFuture<>();
    private final String route;

    private AjpTomcat(Process process, Path base, String route) {
        this.process = process;
        this.base = base;
        this.route = route;
        Thread reader = new Thread(this::readOutput, "ajp-tomcat-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a Tomcat whose AJP connector requires {@code secret} (null: none) and whose engine has
     * {@code jvmRoute} (null: none), and waits until it listens.
     */
    public static AjpTomcat start(String secret, String jvmRoute) throws Exception {
        return start(secret, jvmRoute, 8192);
    }

    /** {@link #start(String, String)} with the AJP connector's {@code packetSize} (Tomcat's default is 8192). */
    public static AjpTomcat start(String secret, String jvmRoute, int packetSize) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("org.portico.testkit.AjpTomcatMain"); // by name: this JVM may have no Tomcat classes
        cmd.add(secret == null ? "-" : secret);
        cmd.add(jvmRoute == null ? "-" : jvmRoute);
        Path base = Files.createTempDirectory("ajp-tomcat-");
        cmd.add(base.toString());
        cmd.add(Integer.toString(packetSize));
        AjpTomcat t = new AjpTomcat(new ProcessBuilder(cmd).redirectErrorStream(true).start(), base, jvmRoute);
        try {
            t.ports.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            t.close();
            throw new IllegalStateException("the AJP Tomcat did not start: " + t.output, e);
        }
        return t;
    }

    /** This JVM's test classes and Tomcat's jars from the local Maven repository. */
    private static String classPath() throws IOException {
        List<String> cp = new ArrayList<>();
        cp.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        String given = System.getProperty("portico.test.tomcat-jars");
        if (given != null) {
            cp.add(given);
        } else {
            Path repo = Path.of(System.getProperty("maven.repo.local",
                    System.getProperty("user.home") + "/.m2/repository"), "org", "apache", "tomcat");
            cp.add(newest(repo.resolve("embed/tomcat-embed-core"), "tomcat-embed-core-"));
            cp.add(newest(repo.resolve("tomcat-annotations-api"), "tomcat-annotations-api-"));
        }
        return String.join(File.pathSeparator, cp);
    }

    private static String newest(Path dir, String prefix) throws IOException {
        try (Stream<Path> jars = Files.walk(dir, 2)) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".jar"))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IOException("no " + prefix + "*.jar under " + dir)).toString();
        }
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith(AjpTomcatMain.READY)) {
                    String[] p = line.substring(AjpTomcatMain.READY.length()).trim().split(" ");
                    ports.complete(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            ports.completeExceptionally(new IllegalStateException("the AJP Tomcat ended"));
        }
    }

    public int ajpPort() {
        return ports.join()[0];
    }

    public int httpPort() {
        return ports.join()[1];
    }

    /** {@code ajp://127.0.0.1:port} */
    public String ajpOrigin() {
        return "ajp://127.0.0.1:" + ajpPort();
    }

    /** {@code http://127.0.0.1:port}: the same servlet over HTTP/1.1. */
    public String httpOrigin() {
        return "http://127.0.0.1:" + httpPort();
    }

    public String route() {
        return route;
    }

    public String output() {
        return output.toString();
    }

    /** Kills the process at once, as a crashed member: its connections are reset, its port refuses. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        removeBase();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        removeBase();
    }

    /** Removes Tomcat's base directory once the child is gone; a file still held stays for the OS to clean. */
    private void removeBase() {
        if (process.isAlive()) {
            return;
        }
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }
}
