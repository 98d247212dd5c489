package org.portico.importer;

/** The httpd configuration cannot be imported: httpd itself would refuse it, or a file is missing. */
public final class ImportException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Where where;

    ImportException(Where where, String problem) {
        super(where == null ? problem : where + ": " + problem);
        this.where = where;
    }

    /** The file and line of the problem, or null when it concerns no line (a missing main file). */
    Where where() {
        return where;
    }
}
