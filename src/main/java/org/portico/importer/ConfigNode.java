package org.portico.importer;

import java.util.List;
import java.util.Locale;

/** One element of an httpd configuration as read: a directive, or a section with its contents. */
sealed interface ConfigNode permits ConfigNode.Directive, ConfigNode.Section {

    Where where();

    /** The name as written, e.g. {@code ProxyPass} or {@code Proxy} for {@code <Proxy ...>}. */
    String name();

    /** The name in lower case, for matching: httpd's directive names are case-insensitive. */
    default String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A directive line: its name, its argument text (variables substituted) and the words of it. */
    record Directive(String name, String argText, List<String> args, Where where) implements ConfigNode {
        /** The directive as written (runs of white space made one), for messages. */
        String text() {
            return argText.isEmpty() ? name : name + " " + argText.replaceAll("\\s+", " ");
        }
    }

    /** {@code <Name args>} ... {@code </Name>}. */
    record Section(String name, String argText, List<String> args, List<ConfigNode> body, Where where) implements ConfigNode {
        /** The opening tag as written, for messages. */
        String tag() {
            return "<" + name + (argText.isEmpty() ? "" : " " + argText) + ">";
        }
    }
}
