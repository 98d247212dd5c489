package org.portico.importer;

import java.io.StringWriter;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link ProxyModel} as Portico descriptor text: elements in the order the schema wants,
 * each followed by a comment naming the httpd line it comes from, and the import report at the top.
 * StAX escapes the values; the line breaks and indentation are written here.
 */
final class DescriptorWriter {

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private final XMLStreamWriter out;

    private DescriptorWriter(XMLStreamWriter out) {
        this.out = out;
    }

    static String write(ProxyModel m, ImportReport report, String source) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(text);
            new DescriptorWriter(w).document(m, report, source);
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing the descriptor to a string failed", e);
        }
        return text.toString();
    }

    private void document(ProxyModel m, ImportReport report, String source) throws XMLStreamException {
        out.writeStartDocument("UTF-8", "1.0");
        out.writeCharacters("\n");
        StringBuilder head = new StringBuilder("\n  Imported from the httpd configuration ").append(comment(source))
                .append(" by portico import-httpd.\n  Each element is followed by the file and line it comes from.\n");
        if (!report.entries().isEmpty()) {
            head.append("\n  What was not imported as it stands (also printed on standard error):\n");
            for (ImportReport.Entry e : report.entries()) {
                head.append("    ").append(comment(e.toString())).append('\n');
            }
        }
        out.writeComment(head.toString());
        out.writeCharacters("\n");
        out.writeStartElement("portico");
        out.writeDefaultNamespace("urn:portico:descriptor:1");
        out.writeCharacters("\n");
        if (!m.settings.isEmpty()) {
            out.writeCharacters("\n");
            empty("settings", m.settings);
            StringBuilder from = new StringBuilder();
            m.settingSources.forEach((directive, where) -> from.append(from.length() == 0 ? "" : ", ").append(directive)
                    .append(" at ").append(where));
            note(from.toString());
        }
        if (!m.hcExprs.isEmpty() || !m.hcTemplates.isEmpty()) {
            out.writeCharacters("\n");
        }
        for (ProxyModel.HcExpr e : m.hcExprs.values()) {
            out.writeCharacters("  ");
            out.writeStartElement("hc-expr");
            out.writeAttribute("name", e.name());
            out.writeCharacters(e.expression());
            out.writeEndElement();
            note(e.where().toString());
        }
        for (ProxyModel.HcTemplate t : m.hcTemplates.values()) {
            empty("hc-template", Map.of("name", t.name()), t.attributes());
            note(t.where().toString());
        }
        boolean first = true;
        for (ProxyModel.WorkerEntry w : m.workers) {
            if (w.declared) {
                out.writeCharacters(first ? "\n" : "");
                empty("worker", Map.of("url", w.url), w.attributes);
                note(w.where.toString());
                first = false;
            }
        }
        for (ProxyModel.BalancerEntry b : m.balancers.values()) {
            out.writeCharacters("\n");
            if (b.members.isEmpty()) {
                empty("balancer", Map.of("name", b.name), b.attributes);
                note(b.where.toString());
                continue;
            }
            out.writeCharacters("  ");
            out.writeStartElement("balancer");
            attributes(Map.of("name", b.name));
            attributes(b.attributes);
            note(b.where.toString());
            for (ProxyModel.Member member : b.members) {
                if (member.comment() != null) {
                    out.writeCharacters("    ");
                    out.writeComment(" " + comment(member.comment()) + " ");
                } else {
                    out.writeCharacters("  ");
                    empty("member", Map.of("url", member.url()), member.attributes());
                }
                note(member.where().toString());
            }
            out.writeCharacters("  ");
            out.writeEndElement();
            out.writeCharacters("\n");
        }
        if (!m.rules.isEmpty()) {
            out.writeCharacters("\n");
        }
        for (ProxyModel.Rule r : m.rules) {
            if (r.comment() != null) {
                out.writeCharacters("  ");
                out.writeComment(" " + comment(r.comment()) + " ");
            } else {
                empty(r.element(), r.attributes());
            }
            note(r.where().toString());
        }
        out.writeCharacters("\n");
        out.writeEndElement();
        out.writeCharacters("\n");
        out.writeEndDocument();
    }

    /** An indented element with no content, its attributes in the order given. */
    @SafeVarargs
    private void empty(String name, Map<String, String>... attributes) throws XMLStreamException {
        out.writeCharacters("  ");
        out.writeEmptyElement(name);
        for (Map<String, String> a : attributes) {
            attributes(a);
        }
    }

    private void attributes(Map<String, String> attributes) throws XMLStreamException {
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            out.writeAttribute(a.getKey(), a.getValue());
        }
    }

    /** The comment that ends a line: where the element came from, or what it stands for. */
    private void note(String text) throws XMLStreamException {
        out.writeCharacters("  ");
        out.writeComment(" " + comment(text) + " ");
        out.writeCharacters("\n");
    }

    /** Text that can stand in an XML comment: no "--", not ending in "-". */
    static String comment(String s) {
        String c = s.replace("\r", " ").replace("\n", " ");
        while (c.contains("--")) {
            c = c.replace("--", "- -");
        }
        return c.endsWith("-") ? c + " " : c;
    }
}
