package org.portico.fidelity;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.PorticoProcess;

/**
 * The differential test against real httpd: every {@link Catalogue} scenario on httpd 2.4 and on the
 * standalone jar with the same configuration; an unexplained difference fails, the listed ones are
 * reported ({@code target/fidelity-report.md}). Skipped where apache2 is not installed.
 */
class StandaloneHttpdDifferentialIT {

    static final Path REPORT = Path.of("target", "fidelity-report.md");
    static final Path OBSERVATIONS = Path.of("target", "fidelity-observations.txt");

    @Test
    @Timeout(400)
    void httpdAndPorticoAnswerTheSameOrTheDifferenceIsListed() throws Exception {
        assumeTrue(HttpdProcess.installed(), "apache2 is not installed (" + HttpdProcess.BINARY
                + "): the differential test against httpd is skipped; apt-get install apache2 to run it");
        assumeFalse("tomcat".equals(System.getProperty("arquillian.launch")),
                "the differential test runs the standalone jar once, in the it-jetty execution");
        assumeTrue(Files.isRegularFile(PorticoProcess.JAR), "the standalone jar is built by mvn package");

        List<FrontConfig> configs = Catalogue.configs();
        Differences.check(configs);
        configs = only(configs, System.getProperty("fidelity.only"));
        List<Result> results;
        Path work = Path.of("target", "fidelity").toAbsolutePath();
        deleteTree(work); // each configuration's httpd.conf and logs stay there after a run, for a look
        Files.createDirectories(work);
        try (BackendSet backends = new BackendSet(); DifferentialRun run = new DifferentialRun(backends, work)) {
            results = run.run(configs);
        }
        FidelityReport report = new FidelityReport(results);
        report.write(REPORT);
        report.writeObservations(OBSERVATIONS);
        System.out.println(report.summary());
        report.notes().forEach(r -> System.out.println("fidelity note: " + r.scenario().name() + ": " + r.note()));
        List<Result> unexpected = report.unexpected();
        assertTrue(unexpected.isEmpty(), unexpected.size() + " scenario(s) differ from httpd and are not listed in "
                + "Differences (report: " + REPORT + "):\n" + unexpected.stream()
                .map(r -> "### " + r.scenario().name() + " (" + r.config() + "): " + r.scenario().about() + "\n" + r.diff())
                .collect(Collectors.joining("\n")));
    }

    /**
     * The configurations whose name matches {@code regex}, or with their scenarios whose name matches it
     * ({@code -Dfidelity.only=timeouts|st\..*} while working on a few); all when null.
     */
    private static List<FrontConfig> only(List<FrontConfig> configs, String regex) {
        if (regex == null || regex.isBlank()) {
            return configs;
        }
        Pattern p = Pattern.compile(regex);
        return configs.stream()
                .map(c -> p.matcher(c.name()).matches() ? c : new FrontConfig(c.name(), c.about(), c.text(),
                        c.scenarios().stream().filter(s -> p.matcher(s.name()).matches()).toList()))
                .filter(c -> !c.scenarios().isEmpty())
                .toList();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
