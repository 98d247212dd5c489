package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.config.DescriptorLoader;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** The importer's test kit: run an import, normalise descriptors for comparison, load them as the WAR does. */
final class Imported {

    /** Surefire runs in the project's base directory. */
    static final Path FIXTURES = Path.of("src", "test", "resources", "httpd");

    private Imported() {
    }

    static HttpdImport.Result run(Path conf) throws ImportException {
        return run(conf, null);
    }

    static HttpdImport.Result run(Path conf, String vhost) throws ImportException {
        return HttpdImport.run(conf, vhost, name -> null);
    }

    /** Writes {@code text} as {@code name} in {@code dir} and imports it. */
    static HttpdImport.Result text(Path dir, String name, String text) throws Exception {
        Path conf = write(dir, name, text);
        return run(conf);
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path conf = dir.resolve(name);
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, text);
        return conf;
    }

    /** The import's refusal of {@code text}, whose message must start with {@code name:line: }. */
    static ImportException refused(Path dir, String name, String text, int line) throws IOException {
        Path conf = write(dir, name, text);
        ImportException e = assertThrows(ImportException.class, () -> run(conf));
        String prefix = conf + ":" + line + ": ";
        if (!e.getMessage().startsWith(prefix)) {
            throw new AssertionError("expected the message to start with '" + prefix + "': " + e.getMessage());
        }
        return e;
    }

    /**
     * A descriptor as lines that can be compared: one per element in document order, indented by depth,
     * the element name and its attributes sorted by name (then " : text" for text content); no comments,
     * no root element.
     */
    static List<String> canonical(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Element root = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        List<String> lines = new ArrayList<>();
        children(root, "", lines);
        return lines;
    }

    static String canonicalText(String xml) throws Exception {
        return String.join("\n", canonical(xml));
    }

    private static void children(Element parent, String indent, List<String> lines) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                StringBuilder line = new StringBuilder(indent).append(e.getLocalName());
                Map<String, String> sorted = new TreeMap<>();
                NamedNodeMap attrs = e.getAttributes();
                for (int i = 0; i < attrs.getLength(); i++) {
                    sorted.put(attrs.item(i).getNodeName(), attrs.item(i).getNodeValue());
                }
                sorted.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
                boolean hasElements = false;
                for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                    hasElements |= c instanceof Element;
                }
                String text = e.getTextContent().trim();
                if (!hasElements && !text.isEmpty()) {
                    line.append(" : ").append(text);
                }
                lines.add(line.toString());
                children(e, indent + "  ", lines);
            }
        }
    }

    /** Loads descriptor text with the WAR's own loader (XSD plus the checks the schema cannot express). */
    static Descriptor load(String xml) throws DescriptorException {
        return DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "imported.xml", null);
    }

    /** The report as "line kind" pairs, without the file, in reading order. */
    static List<String> reportLines(HttpdImport.Result r) {
        return r.report().entries().stream().map(e -> e.where().substring(e.where().lastIndexOf(':') + 1) + " " + e.kind().label())
                .toList();
    }

    /** The report's full text, one entry a line. */
    static String reportText(HttpdImport.Result r) {
        StringBuilder b = new StringBuilder();
        r.report().entries().forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }

    /** Runs the import-httpd command in this JVM. */
    record Command(int status, String out, String err) {
    }

    static Command command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Command(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertValid(String xml) {
        assertEquals(List.of(), SchemaCheck.problems(xml), xml);
    }
}
