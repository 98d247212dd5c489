package org.portico.fidelity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.portico.testkit.PorticoProcess;
import org.portico.testkit.RecordedRequest;

/**
 * Runs configurations side by side: for each, one httpd and one Portico on the same generated
 * httpd.conf, then every scenario on both, one request at a time, comparing their
 * {@link Observation}s. The next configurations' processes start while this one's scenarios run.
 */
final class DifferentialRun implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Portico's JVM kept small and quick to start: the scenarios need no peak throughput. */
    private static final List<String> PORTICO_JVM = List.of("-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** How many configurations start ahead of the one running: a Portico takes longer to start than most run. */
    private static final int AHEAD = 2;

    private final BackendSet backends;
    private final Path workDir;
    private final ExecutorService starter = Executors.newFixedThreadPool(AHEAD, r -> {
        Thread t = new Thread(r, "fidelity-start");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fidelity-watchdog");
        t.setDaemon(true);
        return t;
    });

    DifferentialRun(BackendSet backends, Path workDir) {
        this.backends = backends;
        this.workDir = workDir;
    }

    /** Both sides of one configuration, or why one did not start. */
    private record Fronts(HttpdProcess httpd, PorticoProcess portico, int porticoPort, String httpdFailure,
                          String porticoFailure, long httpdMillis, long porticoMillis) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (httpd != null) {
                httpd.close();
            }
            if (portico != null) {
                portico.close();
            }
        }
    }

    List<Result> run(List<FrontConfig> configs) throws Exception {
        List<Result> results = new ArrayList<>();
        List<Future<Fronts>> starting = new ArrayList<>();
        try {
            for (int i = 0; i < configs.size(); i++) {
                while (starting.size() <= Math.min(i + AHEAD, configs.size() - 1)) {
                    FrontConfig next = configs.get(starting.size());
                    starting.add(starter.submit(() -> start(next)));
                }
                FrontConfig config = configs.get(i);
                long waited = System.nanoTime();
                try (Fronts fronts = starting.get(i).get(START_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)) {
                    long began = System.nanoTime();
                    if (fronts.httpd == null) {
                        throw new IllegalStateException("httpd refused configuration " + config.name() + ": "
                                + fronts.httpdFailure);
                    }
                    for (Scenario s : config.scenarios()) {
                        Observation httpd = observe(s, fronts.httpd.port());
                        Observation portico = fronts.portico == null ? null : observe(s, fronts.porticoPort);
                        results.add(Result.of(config.name(), s, httpd.text(),
                                portico == null ? Observation.unavailable(fronts.porticoFailure) : portico.text())
                                .withTimes("httpd: " + httpd.details() + "; Portico: "
                                        + (portico == null ? "not run" : portico.details())));
                    }
                    System.out.printf("fidelity: configuration %s: %d scenarios in %.1f s (httpd started in %.1f s,"
                            + " Portico in %.1f s; waited %.1f s for them)%n", config.name(), config.scenarios().size(),
                            seconds(System.nanoTime() - began), fronts.httpdMillis / 1000.0, fronts.porticoMillis / 1000.0,
                            seconds(began - waited));
                }
            }
        } finally {
            // stops what was started ahead and not run too (closing twice is harmless)
            for (Future<Fronts> f : starting) {
                try (Fronts unused = f.get(START_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)) {
                    // closed here
                } catch (Exception e) {
                    // it did not start
                }
            }
        }
        return results;
    }

    private Fronts start(FrontConfig config) throws Exception {
        Path root = Files.createTempDirectory(workDir, config.name() + "-");
        int port = HttpdProcess.freePort();
        Path conf = root.resolve("httpd.conf");
        Files.writeString(conf, HttpdProcess.preamble(root, port) + "\n# configuration " + config.name() + ": "
                + config.about() + "\n" + backends.fill(config.text()), StandardCharsets.UTF_8);
        HttpdProcess httpd = null;
        String httpdFailure = null;
        long t0 = System.nanoTime();
        try {
            httpd = HttpdProcess.start(root, port, conf, START_TIMEOUT);
        } catch (IllegalStateException e) {
            httpdFailure = e.getMessage();
        }
        long t1 = System.nanoTime();
        PorticoProcess portico = PorticoProcess.start(PORTICO_JVM, "--httpd-config", conf.toString(), "--port", "0");
        try {
            String url = portico.awaitUrl(START_TIMEOUT);
            int porticoPort = Integer.parseInt(url.replaceAll(".*:(\\d+)/?$", "$1"));
            return new Fronts(httpd, portico, porticoPort, httpdFailure, null, (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
        } catch (Exception e) {
            String output = portico.output();
            portico.close();
            return new Fronts(httpd, null, 0, httpdFailure, "Portico did not start: " + firstLines(output, 12),
                    (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
    }

    private Observation observe(Scenario scenario, int port) {
        Observation observation = new Observation(scenario.normalisers(), port, backends.portNames());
        int index = 1;
        boolean answered = true;
        try (WireClient.Connection connection = new WireClient.Connection(port)) {
            for (Send send : scenario.sends()) {
                if (!answered) {
                    // a proxy that left one request unanswered would leave the rest too: not worth the wait
                    observation.skipped(index++, send);
                    continue;
                }
                if (send.step() != null) {
                    observation.step(index++, send.step().summary(), send.step().run(port, backends));
                    continue;
                }
                byte[] bytes = backends.fill(send.text()).replace("{front}", "127.0.0.1:" + port)
                        .getBytes(StandardCharsets.ISO_8859_1);
                Map<String, Integer> marks = backends.marks();
                // a held backend answers at the latest after 5 s, so a proxy that never times out still ends
                ScheduledFuture<?> release = watchdog.schedule(backends::releaseHeld, 5, TimeUnit.SECONDS);
                String method = send.method() != null ? send.method() : send.text().split(" ", 2)[0];
                WireClient.Answer answer = connection.exchange(bytes, method.equals("HEAD"), method.equals("CONNECT"),
                        send.timeCompared() ? WireClient.TIMED_MILLIS : WireClient.UNTIMED_MILLIS);
                if (!scenario.oneConnection()) {
                    connection.close();
                }
                answered = answer.statusLine() != null;
                release.cancel(false);
                backends.releaseHeld();
                List<RecordedRequest> received = backends.since(marks);
                observation.add(index++, send, answer, received);
            }
        }
        return observation;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String firstLines(String text, int n) {
        return String.join("\n", text.lines().filter(l -> !l.contains("not imported:")).limit(n).toList());
    }

    @Override
    public void close() {
        starter.shutdownNow();
        watchdog.shutdownNow();
    }
}
