package org.portico.config;

/** Where something was written in a descriptor, for messages of the form {@code file:line:column}. */
public record SourceLocation(String file, int line, int column) {

    public static SourceLocation unknown(String file) {
        return new SourceLocation(file, -1, -1);
    }

    @Override
    public String toString() {
        return line < 0 ? file : file + ":" + line + ":" + column;
    }
}
