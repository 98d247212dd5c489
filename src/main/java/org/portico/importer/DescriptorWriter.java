package org.portico.importer;

import java.util.Map;

/**
 * Writes a {@link ProxyModel} as Portico descriptor text: elements in the order the schema wants,
 * each followed by a comment naming the httpd line it comes from, and the import report at the top.
 */
final class DescriptorWriter {

    private final StringBuilder out = new StringBuilder();

    private DescriptorWriter() {
    }

    static String write(ProxyModel m, ImportReport report, String source) {
        return new DescriptorWriter().document(m, report, source);
    }

    private String document(ProxyModel m, ImportReport report, String source) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<!--\n  Imported from the httpd configuration ").append(comment(source)).append(" by portico import-httpd.\n");
        out.append("  Each element is followed by the file and line it comes from.\n");
        if (!report.entries().isEmpty()) {
            out.append("\n  What was not imported as it stands (also printed on standard error):\n");
            for (ImportReport.Entry e : report.entries()) {
                out.append("    ").append(comment(e.toString())).append('\n');
            }
        }
        out.append("-->\n<portico xmlns=\"urn:portico:descriptor:1\">\n");
        if (!m.settings.isEmpty()) {
            out.append("\n  <settings");
            attributes(m.settings);
            out.append("/>");
            StringBuilder from = new StringBuilder();
            m.settingSources.forEach((directive, where) -> from.append(from.length() == 0 ? "" : ", ").append(directive)
                    .append(" at ").append(where));
            out.append("  <!-- ").append(comment(from.toString())).append(" -->\n");
        }
        if (!m.hcExprs.isEmpty() || !m.hcTemplates.isEmpty()) {
            out.append('\n');
        }
        for (ProxyModel.HcExpr e : m.hcExprs.values()) {
            out.append("  <hc-expr name=\"").append(attr(e.name())).append("\">").append(text(e.expression())).append("</hc-expr>");
            source(e.where());
        }
        for (ProxyModel.HcTemplate t : m.hcTemplates.values()) {
            out.append("  <hc-template name=\"").append(attr(t.name())).append('"');
            attributes(t.attributes());
            out.append("/>");
            source(t.where());
        }
        boolean first = true;
        for (ProxyModel.WorkerEntry w : m.workers) {
            if (w.declared) {
                out.append(first ? "\n" : "").append("  <worker url=\"").append(attr(w.url)).append('"');
                attributes(w.attributes);
                out.append("/>");
                source(w.where);
                first = false;
            }
        }
        for (ProxyModel.BalancerEntry b : m.balancers.values()) {
            out.append("\n  <balancer name=\"").append(attr(b.name)).append('"');
            attributes(b.attributes);
            if (b.members.isEmpty()) {
                out.append("/>");
                source(b.where);
                continue;
            }
            out.append('>');
            source(b.where);
            for (ProxyModel.Member member : b.members) {
                if (member.comment() != null) {
                    out.append("    <!-- ").append(comment(member.comment())).append(" -->");
                } else {
                    out.append("    <member url=\"").append(attr(member.url())).append('"');
                    attributes(member.attributes());
                    out.append("/>");
                }
                source(member.where());
            }
            out.append("  </balancer>\n");
        }
        if (!m.rules.isEmpty()) {
            out.append('\n');
        }
        for (ProxyModel.Rule r : m.rules) {
            if (r.comment() != null) {
                out.append("  <!-- ").append(comment(r.comment())).append(" -->");
            } else {
                out.append("  <").append(r.element());
                attributes(r.attributes());
                out.append("/>");
            }
            source(r.where());
        }
        out.append("\n</portico>\n");
        return out.toString();
    }

    private void attributes(Map<String, String> attributes) {
        attributes.forEach((k, v) -> out.append(' ').append(k).append("=\"").append(attr(v)).append('"'));
    }

    private void source(Where where) {
        out.append("  <!-- ").append(comment(where.toString())).append(" -->\n");
    }

    static String attr(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\t' -> b.append("&#9;");
                case '\n' -> b.append("&#10;");
                case '\r' -> b.append("&#13;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
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
