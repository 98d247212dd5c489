package org.portico.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The files Portico ships in {@code examples/} for each container, installed where the container reads
 * them, so that the README's recipe is the one tested. Only values a test run alone knows (the descriptor's
 * path) replace the documented ones, and each documented value must be present to be replaced.
 */
final class Shipped {

    static final Path EXAMPLES = Path.of("examples");
    /** The descriptor path every shipped file names. */
    static final String DESCRIPTOR = "/etc/portico/portico.xml";
    /** The credentials the shipped realm files give the role portico-admin. */
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "change-me";

    private Shipped() {
    }

    /** Copies {@code examples/<shipped>} to {@code target}, replacing each key of {@code values} by its value. */
    static Path install(String shipped, Path target, Map<String, String> values) throws IOException {
        String text = Files.readString(EXAMPLES.resolve(shipped), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> v : values.entrySet()) {
            if (!text.contains(v.getKey())) {
                throw new AssertionError("examples/" + shipped + " no longer says " + v.getKey());
            }
            text = text.replace(v.getKey(), v.getValue());
        }
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
        return target;
    }

    static Path install(String shipped, Path target) throws IOException {
        return install(shipped, target, Map.of());
    }

    /** Replaces {@code from} by {@code to} in a file of the distribution, which must say {@code from}. */
    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!text.contains(from)) {
            throw new AssertionError(file + " no longer says " + from);
        }
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }
}
