package org.portico.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The standalone jar run as a real process, as a user runs it; stopped by its PID. */
public final class PorticoProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "portico-standalone.jar");
    private static final Pattern SERVING = Pattern.compile("is serving on (http://\\S+)");
    private static final Pattern SERVING_TLS = Pattern.compile("is serving on (https://\\S+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<String> url = new CompletableFuture<>();
    private final CompletableFuture<String> httpsUrl = new CompletableFuture<>();

    private PorticoProcess(List<String> jvmArgs, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread reader = new Thread(this::readOutput, "portico-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static PorticoProcess start(List<String> jvmArgs, String... args) throws IOException {
        return new PorticoProcess(jvmArgs, List.of(args));
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    url.complete(m.group(1));
                }
                Matcher tls = SERVING_TLS.matcher(line);
                if (tls.find()) {
                    httpsUrl.complete(tls.group(1));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        url.completeExceptionally(new IllegalStateException("Portico exited without serving:\n" + output));
        httpsUrl.completeExceptionally(new IllegalStateException("Portico exited without serving https:\n" + output));
    }

    /** The base URL Portico printed, waiting at most {@code timeout} for it. */
    public String awaitUrl(Duration timeout) throws Exception {
        return url.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The https base URL Portico printed for its --https-port, waiting at most {@code timeout} for it. */
    public String awaitHttpsUrl(Duration timeout) throws Exception {
        return httpsUrl.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the process to exit by itself and returns its status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Portico did not exit within " + timeout + ":\n" + output);
        }
        return process.exitValue();
    }

    public String output() {
        return output.toString();
    }

    /**
     * The output once it contains {@code text}, waiting up to 10 s: the log reaches the test through a pipe and a
     * reader thread, so a line logged before an answer may arrive after it.
     */
    public String awaitOutput(String text) throws Exception {
        return Poll.until(Duration.ofSeconds(10), this::output, o -> o.contains(text));
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Writes a descriptor to a temp file and returns its path. */
    public static Path descriptor(String xml) throws IOException {
        Path file = Files.createTempFile("portico-it", ".xml");
        file.toFile().deleteOnExit();
        Files.writeString(file, xml);
        return file;
    }
}
