package org.portico.config;

/** A descriptor that cannot be used; the message reads {@code file:line:column: what is wrong}. */
public final class DescriptorException extends Exception {

    private final transient SourceLocation location;
    private final String problem;

    public DescriptorException(SourceLocation location, String problem) {
        this(location, problem, null);
    }

    public DescriptorException(SourceLocation location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
        this.problem = problem;
    }

    public SourceLocation location() {
        return location;
    }

    /** The problem alone, without the location prefix. */
    public String problem() {
        return problem;
    }
}
