package org.portico.config;

/**
 * A descriptor that cannot be used; the message reads {@code file:line:column: what is wrong}. A value the
 * problem quotes is shortened when long ({@link #shorten}), so a 20 MB attribute is not echoed into the log.
 */
public final class DescriptorException extends Exception {

    /** The characters of a quoted value kept in a message. */
    static final int ECHOED_VALUE = 200;
    /** The characters of a whole problem kept, whatever it quotes. */
    static final int PROBLEM = 2000;

    private final transient SourceLocation location;
    private final String problem;

    public DescriptorException(SourceLocation location, String problem) {
        this(location, problem, null);
    }

    public DescriptorException(SourceLocation location, String problem, Throwable cause) {
        super(location + ": " + shorten(String.valueOf(problem)), cause);
        this.location = location;
        this.problem = shorten(String.valueOf(problem));
    }

    /**
     * {@code problem} with every value quoted in it ('...' or "...") cut to its first {@value #ECHOED_VALUE}
     * characters and its length, e.g. {@code 'aaaa… (20000000 chars)'}, and the whole cut the same way at
     * {@value #PROBLEM} characters.
     */
    static String shorten(String problem) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < problem.length(); i++) {
            char q = problem.charAt(i);
            if (q != '\'' && q != '"') {
                continue;
            }
            int close = problem.indexOf(q, i + 1);
            int end = close < 0 ? problem.length() : close;
            if (end - (i + 1) > ECHOED_VALUE) {
                if (out == null) {
                    out = new StringBuilder(PROBLEM);
                }
                out.append(problem, copied, i + 1 + ECHOED_VALUE).append("\u2026 (").append(end - (i + 1)).append(" chars)");
                copied = end;
            }
            i = end;
        }
        String s = out == null ? problem : out.append(problem, copied, problem.length()).toString();
        return s.length() <= PROBLEM ? s : s.substring(0, PROBLEM) + "\u2026 (" + s.length() + " chars)";
    }

    public SourceLocation location() {
        return location;
    }

    /** The problem alone, without the location prefix. */
    public String problem() {
        return problem;
    }
}
