package org.portico.health;

import java.util.regex.Pattern;

/**
 * A {@code ProxyHCExpr} pass condition: the part of httpd's ap_expr language that health checks use,
 * parsed once at start-up and evaluated against each {@link CheckResponse}. Immutable and thread-safe.
 *
 * <p>Accepted: {@code %{REQUEST_STATUS}}, {@code %{HC_BODY}}, {@code hc('body')}, {@code resp('Name')},
 * quoted strings and numbers; the string comparisons {@code == = != < <= > >=}, the integer ones
 * {@code -eq -ne -lt -le -gt -ge}, the regex matches {@code =~ !~} against {@code /re/} or
 * {@code m#re#} (flag {@code i}), {@code contains} (a substring test, beyond ap_expr); {@code true},
 * {@code false}, {@code !}, {@code &&}, {@code ||} and parentheses. Anything else is refused by
 * {@link #parse} with the position and what is allowed, so that a condition Portico cannot evaluate
 * never reaches a running balancer.
 */
public final class HcExpression {

    /** An expression Portico cannot evaluate; the message says where and what is allowed. */
    public static final class Unsupported extends IllegalArgumentException {
        Unsupported(String expression, int at, String problem) {
            super(problem + " at character " + (at + 1) + " of '" + expression + "'");
        }
    }

    /** A value the expression could not compute for one response (httpd counts the check as failed). */
    static final class EvaluationError extends RuntimeException {
        EvaluationError(String message) {
            super(message);
        }
    }

    private final String text;
    private final Node root;

    HcExpression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses a ProxyHCExpr expression (without httpd's optional surrounding braces).
     *
     * @throws Unsupported when it uses something outside the subset, or is not well-formed
     */
    public static HcExpression parse(String expression) {
        String t = expression.trim();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1).trim();
        }
        Node n = new HcParser(t).whole();
        return new HcExpression(t, n);
    }

    /** Whether {@code response} passes; an evaluation error (e.g. -eq on a non-number) fails it. */
    public boolean test(CheckResponse response) {
        return root.test(response);
    }

    @Override
    public String toString() {
        return text;
    }

    // ------------------------------------------------------------------------------------- the tree

    interface Node {
        boolean test(CheckResponse r);
    }

    interface Word {
        String value(CheckResponse r);
    }

    record Literal(String text) implements Word {
        public String value(CheckResponse r) {
            return text;
        }
    }

    enum Variable implements Word {
        STATUS {
            public String value(CheckResponse r) {
                return Integer.toString(r.status());
            }
        },
        BODY {
            public String value(CheckResponse r) {
                return r.body();
            }
        }
    }

    record Header(String name) implements Word {
        public String value(CheckResponse r) {
            return r.header(name);
        }
    }

    record Constant(boolean value) implements Node {
        public boolean test(CheckResponse r) {
            return value;
        }
    }

    record Not(Node inner) implements Node {
        public boolean test(CheckResponse r) {
            return !inner.test(r);
        }
    }

    record And(Node left, Node right) implements Node {
        public boolean test(CheckResponse r) {
            return left.test(r) && right.test(r);
        }
    }

    record Or(Node left, Node right) implements Node {
        public boolean test(CheckResponse r) {
            return left.test(r) || right.test(r);
        }
    }

    record Match(Word word, Pattern pattern, boolean negated) implements Node {
        public boolean test(CheckResponse r) {
            return pattern.matcher(word.value(r)).find() != negated;
        }
    }

    record Compare(Word left, String op, Word right) implements Node {
        public boolean test(CheckResponse r) {
            String a = left.value(r);
            String b = right.value(r);
            return switch (op) {
                case "==", "=" -> a.equals(b);
                case "!=" -> !a.equals(b);
                case "<" -> a.compareTo(b) < 0;
                case "<=" -> a.compareTo(b) <= 0;
                case ">" -> a.compareTo(b) > 0;
                case ">=" -> a.compareTo(b) >= 0;
                case "contains" -> a.contains(b);
                default -> integers(op, number(a), number(b));
            };
        }

        private static boolean integers(String op, long a, long b) {
            return switch (op) {
                case "-eq" -> a == b;
                case "-ne" -> a != b;
                case "-lt" -> a < b;
                case "-le" -> a <= b;
                case "-gt" -> a > b;
                default -> a >= b; // -ge, the only one left
            };
        }

        private static long number(String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new EvaluationError("'" + s + "' is not an integer");
            }
        }
    }
}
