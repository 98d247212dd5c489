package org.portico.fidelity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The run's figures and a markdown report: one table row per scenario, then every difference in full. */
final class FidelityReport {

    private final List<Result> results;

    FidelityReport(List<Result> results) {
        this.results = List.copyOf(results);
    }

    long count(Verdict v) {
        return results.stream().filter(r -> r.verdict() == v).count();
    }

    /** {@code fidelity: N agree, M differ on purpose, C decided by the container, K known differences} (and the unexpected ones, if any). */
    String summary() {
        String line = "fidelity: " + count(Verdict.AGREE) + " agree, " + count(Verdict.ON_PURPOSE) + " differ on purpose, "
                + count(Verdict.CONTAINER) + " decided by the container, " + count(Verdict.KNOWN) + " known differences";
        long differ = count(Verdict.DIFFER);
        return differ == 0 ? line : line + ", " + differ + " unexpected differences";
    }

    List<Result> unexpected() {
        return results.stream().filter(r -> r.verdict() == Verdict.DIFFER).toList();
    }

    List<Result> notes() {
        return results.stream().filter(r -> r.note() != null).toList();
    }

    void write(Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# httpd fidelity: ").append(HttpdVersion.text()).append(" against Portico\n\n")
                .append(summary()).append("\n\n")
                .append("Each scenario ran on a real httpd and on `portico-standalone.jar --httpd-config` with the same ")
                .append("configuration and requests; `-` lines are httpd's, `+` lines Portico's.\n\n")
                .append("| scenario | configuration | result | reason or first difference |\n|---|---|---|---|\n");
        for (Result r : results) {
            String cell = r.reason() != null ? r.reason() : r.note() != null ? r.note() : firstChange(r.diff());
            md.append("| `").append(r.scenario().name()).append("` | ").append(r.config()).append(" | ")
                    .append(r.verdict().label).append(" | ").append(escape(cell)).append(" |\n");
        }
        md.append("\nTimes of the timed scenarios (compared only as within or over ")
                .append(Observation.ON_TIME_MILLIS).append(" ms):\n\n");
        for (Result r : results) {
            if (r.scenario().sends().stream().anyMatch(Send::timeCompared)) {
                md.append("- `").append(r.scenario().name()).append("`: ").append(r.times()).append("\n");
            }
        }
        for (Result r : results) {
            if (r.verdict() == Verdict.AGREE) {
                continue;
            }
            md.append("\n## ").append(r.scenario().name()).append(": ").append(r.verdict().label).append("\n\n")
                    .append(r.scenario().about()).append(" (configuration ").append(r.config()).append(")\n\n");
            if (r.reason() != null) {
                md.append("Why: ").append(r.reason()).append("\n\n");
            }
            md.append("```diff\n").append(r.diff()).append("```\n");

        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    /** Every scenario's observations in full, agreeing ones too, so that an "agree" can be checked by eye. */
    void writeObservations(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Result r : results) {
            text.append("=== ").append(r.scenario().name()).append(" (").append(r.config()).append("): ")
                    .append(r.verdict().label).append('\n');
            if (r.verdict() == Verdict.AGREE) {
                text.append(r.httpd()).append("\n\n");
            } else {
                text.append("--- httpd\n").append(r.httpd()).append("\n--- Portico\n").append(r.portico()).append("\n\n");
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    }

    /** The first changed line of a diff, for the table. */
    static String firstChange(String diff) {
        return diff.lines().filter(l -> l.startsWith("- ") || l.startsWith("+ ")).limit(2)
                .reduce((a, b) -> a + " / " + b).orElse("");
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace("\n", " ");
    }
}
