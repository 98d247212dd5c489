package org.portico.importer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What an import did not carry over, and what it carried over with a change of meaning worth knowing:
 * one line per directive, each naming its file and line. Not thread-safe: one import fills it.
 */
public final class ImportReport {

    /** The kinds of line, in the words the report prints. */
    public enum Kind {
        NOT_IMPORTED("not imported"),
        NOT_PROXIED_YET("not proxied yet"),
        WARNING("warning"),
        NOTE("note");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One line of the report. */
    public record Entry(Kind kind, String where, String text, int order) {
        @Override
        public String toString() {
            return where + ": " + kind.label() + ": " + text;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(Kind kind, Where where, String text) {
        entries.add(new Entry(kind, where.toString(), text, where.order()));
    }

    void notImported(Where where, String what, String why) {
        add(Kind.NOT_IMPORTED, where, what + ": " + why);
    }

    void warning(Where where, String text) {
        add(Kind.WARNING, where, text);
    }

    void note(Where where, String text) {
        add(Kind.NOTE, where, text);
    }

    /** The lines in the order httpd reads the directives they are about. */
    public List<Entry> entries() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(Entry::order));
        return sorted;
    }

    public long count(Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind).count();
    }
}
