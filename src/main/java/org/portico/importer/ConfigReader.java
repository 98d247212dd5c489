package org.portico.importer;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads httpd configuration files into a tree of directives and sections, with httpd's syntax:
 * comment lines, {@code \} line continuations, quoted words, {@code Define}d {@code ${VAR}}s (then the
 * environment, as httpd does), and {@code Include}/{@code IncludeOptional} expanded where they stand
 * (relative to the including file, then to {@code ServerRoot}; wildcards in any path component, matches
 * read in alphabetical order; a directory is read whole). Not thread-safe: one reader per import.
 */
final class ConfigReader {

    /** httpd's own limit on nested includes. */
    private static final int MAX_INCLUDE_DEPTH = 128;

    private final ImportReport report;
    private final Function<String, String> environment;
    private final Map<String, String> defines = new HashMap<>();
    private final Deque<Path> reading = new ArrayDeque<>();
    private Path mainDir;
    private Path shownDir;
    private Path serverRoot;
    private int order;

    /** @param environment looks up ${VAR}s that no Define set (httpd uses its process environment) */
    ConfigReader(ImportReport report, Function<String, String> environment) {
        this.report = report;
        this.environment = environment;
    }

    List<ConfigNode> read(Path main) throws ImportException {
        Path file = main.toAbsolutePath().normalize();
        mainDir = file.getParent();
        shownDir = main.getParent();
        if (!Files.isRegularFile(file)) {
            throw new ImportException(null, main + ": " + (Files.exists(file) ? "is not a file" : "no such file"));
        }
        List<ConfigNode> root = new ArrayList<>();
        readFile(file, root, 0);
        return root;
    }

    /** The name a file is shown with: in the style of the path the user gave for the main file. */
    private String shown(Path file) {
        if (file.startsWith(mainDir)) {
            Path rel = mainDir.relativize(file);
            return (shownDir == null ? rel : shownDir.resolve(rel)).toString();
        }
        return file.toString();
    }

    private record Open(ConfigNode.Section section, List<ConfigNode> parentBody) {
    }

    private void readFile(Path file, List<ConfigNode> into, int depth) throws ImportException {
        String name = shown(file);
        List<String> lines = lines(file, name);
        reading.push(file);
        Deque<Open> open = new ArrayDeque<>();
        List<ConfigNode> body = into;
        for (int i = 0; i < lines.size(); i++) {
            int first = i + 1;
            StringBuilder logical = new StringBuilder();
            String line = lines.get(i);
            while (continues(line) && i + 1 < lines.size()) {
                logical.append(line, 0, line.length() - 1);
                line = lines.get(++i);
            }
            logical.append(continues(line) ? line.substring(0, line.length() - 1) : line);
            String text = logical.toString().trim();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            Where where = new Where(name, first, order++);
            text = substitute(text, where);
            int comment = trailingComment(text);
            if (comment >= 0) {
                report.warning(where, "httpd allows no comment after a directive; ignored '" + text.substring(comment) + "'");
                text = text.substring(0, comment).trim();
            }
            if (text.startsWith("</")) {
                int gt = text.indexOf('>');
                String closing = (gt < 0 ? text.substring(2) : text.substring(2, gt)).trim();
                if (open.isEmpty()) {
                    throw new ImportException(where, "</" + closing + "> without matching <" + closing + "> section");
                }
                Open top = open.pop();
                if (!top.section().name().equalsIgnoreCase(closing)) {
                    throw new ImportException(where, "Expected </" + top.section().name() + "> (for the section opened at "
                            + top.section().where() + ") but saw </" + closing + ">");
                }
                body = top.parentBody();
            } else if (text.startsWith("<")) {
                int end = text.lastIndexOf('>');
                String sectionName = text.substring(1).split("[\\s>]", 2)[0];
                if (end < 0) {
                    throw new ImportException(where, "<" + sectionName + "> directive missing closing '>'");
                }
                String argText = text.substring(1 + sectionName.length(), end).trim();
                ConfigNode.Section s = new ConfigNode.Section(sectionName, argText, Words.split(argText), new ArrayList<>(), where);
                body.add(s);
                open.push(new Open(s, body));
                body = s.body();
            } else {
                String directive = text.split("\\s", 2)[0];
                String argText = text.substring(directive.length()).trim();
                directive(new ConfigNode.Directive(directive, argText, Words.split(argText), where), file, body, depth);
            }
        }
        if (!open.isEmpty()) {
            ConfigNode.Section s = open.getLast().section();
            throw new ImportException(s.where(), "<" + s.name() + "> was not closed (no </" + s.name()
                    + "> before the end of " + name + ")");
        }
        reading.pop();
    }

    /** httpd's continuation: a backslash right before the end of the line, itself not escaped. */
    private static boolean continues(String line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\\' && (n == 1 || line.charAt(n - 2) != '\\');
    }

    private void directive(ConfigNode.Directive d, Path file, List<ConfigNode> body, int depth) throws ImportException {
        switch (d.key()) {
            case "define" -> {
                if (d.args().isEmpty()) {
                    throw new ImportException(d.where(), "Define takes one or two arguments");
                }
                defines.put(d.args().get(0), d.args().size() > 1 ? d.args().get(1) : "");
            }
            case "undefine" -> {
                if (!d.args().isEmpty()) {
                    defines.remove(d.args().get(0));
                }
            }
            case "include", "includeoptional" -> include(d, file, body, depth);
            case "serverroot" -> {
                if (!d.args().isEmpty()) {
                    serverRoot = file.getParent().resolve(d.args().get(0));
                }
                body.add(d);
            }
            default -> body.add(d);
        }
    }

    private void include(ConfigNode.Directive d, Path file, List<ConfigNode> body, int depth) throws ImportException {
        boolean optional = d.key().equals("includeoptional");
        if (d.args().size() != 1) {
            throw new ImportException(d.where(), d.name() + " takes one argument, the file, directory or wildcard to read");
        }
        if (depth + 1 > MAX_INCLUDE_DEPTH) {
            throw new ImportException(d.where(), "Exceeded the maximum include directory nesting level of " + MAX_INCLUDE_DEPTH);
        }
        String pattern = d.args().get(0);
        boolean wildcard = pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
        List<Path> bases = new ArrayList<>();
        bases.add(file.getParent());
        if (serverRoot != null && !serverRoot.equals(file.getParent())) {
            bases.add(serverRoot);
        }
        List<Path> files = List.of();
        for (Path base : bases) {
            files = wildcard ? expand(base.resolve(pattern).normalize()) : existing(base.resolve(pattern).normalize());
            if (!files.isEmpty()) {
                break;
            }
        }
        if (files.isEmpty()) {
            if (optional) {
                return;
            }
            Path tried = file.getParent().resolve(pattern).normalize();
            throw new ImportException(d.where(), wildcard
                    ? "Include " + pattern + ": no file matches the wildcard (looked in " + shown(tried.getParent()) + ")"
                    : "Include " + pattern + ": could not open configuration file " + shown(tried) + ": no such file or directory");
        }
        for (Path f : files) {
            if (reading.contains(f)) {
                throw new ImportException(d.where(), d.name() + " " + pattern + ": " + shown(f) + " includes itself");
            }
            readFile(f, body, depth + 1);
        }
    }

    /** A file, or every file under a directory in alphabetical order; empty when there is nothing. */
    private static List<Path> existing(Path p) throws ImportException {
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        if (Files.isDirectory(p)) {
            try (Stream<Path> all = Files.walk(p)) {
                return all.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new ImportException(null, p + ": cannot be read: " + e.getMessage());
            }
        }
        return List.of();
    }

    /** Expands wildcards component by component, in alphabetical order at each level. */
    private static List<Path> expand(Path pattern) throws ImportException {
        List<Path> current = List.of(pattern.getRoot());
        for (Path part : pattern) {
            String name = part.toString();
            List<Path> next = new ArrayList<>();
            boolean wild = name.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
            for (Path dir : current) {
                if (!wild) {
                    next.add(dir.resolve(name));
                } else if (Files.isDirectory(dir)) {
                    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
                    try (Stream<Path> entries = Files.list(dir)) {
                        entries.filter(e -> m.matches(e.getFileName())).sorted().forEach(next::add);
                    } catch (IOException e) {
                        throw new ImportException(null, dir + ": cannot be read: " + e.getMessage());
                    }
                }
            }
            current = next;
        }
        List<Path> files = new ArrayList<>();
        for (Path p : current) {
            files.addAll(existing(p));
        }
        return files;
    }

    private static List<String> lines(Path file, String name) throws ImportException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                text = new String(bytes, StandardCharsets.ISO_8859_1);
            }
            // a byte order mark is not part of the first directive's name
            return (text.startsWith("\uFEFF") ? text.substring(1) : text).lines().toList();
        } catch (NoSuchFileException e) {
            throw new ImportException(null, name + ": no such file");
        } catch (IOException e) {
            throw new ImportException(null, name + ": cannot be read: " + e.getMessage());
        }
    }

    /** ${VAR} from Define, else from the environment; an unknown one stays as written, as in httpd. */
    private String substitute(String text, Where where) {
        int start = text.indexOf("${");
        if (start < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (start >= 0) {
            int end = text.indexOf('}', start + 2);
            if (end < 0) {
                break;
            }
            String var = text.substring(start + 2, end);
            String value = defines.containsKey(var) ? defines.get(var) : environment.apply(var);
            out.append(text, from, start);
            if (value == null) {
                report.warning(where, "variable ${" + var + "} is not defined (neither by Define nor in the environment); left as written");
                out.append(text, start, end + 1);
            } else {
                out.append(value);
            }
            from = end + 1;
            start = text.indexOf("${", from);
        }
        out.append(text.substring(from));
        return out.toString();
    }

    /** Where a "#" that follows white space outside quotes starts, or -1. */
    static int trailingComment(String text) {
        char quote = 0;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            char prev = text.charAt(i - 1);
            if (quote != 0) {
                if (c == '\\' && i + 1 < text.length()) {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if ((c == '"' || c == '\'') && Character.isWhitespace(prev)) {
                quote = c;
            } else if (c == '#' && Character.isWhitespace(prev)) {
                return i;
            }
        }
        return -1;
    }
}
