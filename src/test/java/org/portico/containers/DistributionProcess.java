package org.portico.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.portico.testkit.Poll;

/**
 * A container distribution started by its own launcher script or jar, as an operator starts it, with its
 * console written to a file; stopped by the PID of the process started here and of its descendants.
 */
final class DistributionProcess implements AutoCloseable {

    /** How long a container may take to start and deploy on a busy CI machine. */
    static final Duration STARTUP = Duration.ofSeconds(180);

    private final String name;
    private final Process process;
    private final Path console;

    private final Thread stopAtExit;

    private DistributionProcess(String name, Process process, Path console) {
        this.name = name;
        this.process = process;
        this.console = console;
        // a test JVM ended from outside (failsafe's fork timeout) must not leave the container running
        this.stopAtExit = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** Starts {@code command} in {@code dir} with {@code env} added, standard output and error to {@code console}. */
    static DistributionProcess start(String name, Path dir, Map<String, String> env, Path console, List<String> command)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(console.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        pb.environment().putAll(env);
        return new DistributionProcess(name, pb.start(), console);
    }

    /** Runs a short command of the distribution (a set-up tool) to its end and fails unless it exits 0. */
    static String run(Path dir, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + STARTUP);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }

    /** The JVM running these tests: the containers run on the same JDK. */
    static String javaHome() {
        return System.getProperty("java.home");
    }

    static String java() {
        return Path.of(javaHome(), "bin", "java").toString();
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }

    /** What the container wrote on its console so far. */
    String console() {
        return read(console);
    }

    /** Waits until {@code log} contains {@code text}; fails naming the container if it exits first. */
    void awaitLog(Path log, String text, Duration timeout) throws Exception {
        awaitLog(log, s -> s.contains(text), "'" + text + "'", timeout);
    }

    /** Waits until the text of {@code log} satisfies {@code ok}; fails naming the container if it exits first. */
    void awaitLog(Path log, Predicate<String> ok, String what, Duration timeout) throws Exception {
        Poll.until(timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before logging " + what
                        + ":\n" + console());
            }
            return read(log);
        }, ok);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            } catch (IOException again) {
                return "";
            }
        } catch (IOException notYetWritten) {
            return "";
        }
    }

    /** Asks the process and its descendants to stop (SIGTERM), and kills what is left after 30 s. */
    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(stopAtExit);
        stop();
    }

    private void stop() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle p : all) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        all.forEach(p -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        });
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
