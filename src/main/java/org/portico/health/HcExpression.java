package org.portico.health;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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

    private static final String ALLOWED = "use %{REQUEST_STATUS}, %{HC_BODY}, hc('body'), resp('Header'), 'strings',"
            + " numbers, == != < <= > >= -eq -ne -lt -le -gt -ge =~ !~ contains, true, false, !, &&, || and ( )";

    private final String text;
    private final Node root;

    private HcExpression(String text, Node root) {
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
        Parser p = new Parser(t);
        Node n = p.orExpr();
        p.skipSpace();
        if (p.pos < t.length()) {
            throw p.unsupported("unexpected '" + p.rest() + "'");
        }
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

    private interface Node {
        boolean test(CheckResponse r);
    }

    private interface Word {
        String value(CheckResponse r);
    }

    private record Literal(String text) implements Word {
        public String value(CheckResponse r) {
            return text;
        }
    }

    private enum Variable implements Word {
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

    private record Header(String name) implements Word {
        public String value(CheckResponse r) {
            return r.header(name);
        }
    }

    private record Constant(boolean value) implements Node {
        public boolean test(CheckResponse r) {
            return value;
        }
    }

    private record Not(Node inner) implements Node {
        public boolean test(CheckResponse r) {
            return !inner.test(r);
        }
    }

    private record And(Node left, Node right) implements Node {
        public boolean test(CheckResponse r) {
            return left.test(r) && right.test(r);
        }
    }

    private record Or(Node left, Node right) implements Node {
        public boolean test(CheckResponse r) {
            return left.test(r) || right.test(r);
        }
    }

    private record Match(Word word, Pattern pattern, boolean negated) implements Node {
        public boolean test(CheckResponse r) {
            return pattern.matcher(word.value(r)).find() != negated;
        }
    }

    private record Compare(Word left, String op, Word right) implements Node {
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

    // ------------------------------------------------------------------------------------- the parser

    private static final List<String> COMPARISONS = List.of("==", "!=", "<=", ">=", "=~", "!~", "=", "<", ">",
            "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "contains");

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Node orExpr() {
            Node left = andExpr();
            while (eat("||")) {
                left = new Or(left, andExpr());
            }
            return left;
        }

        Node andExpr() {
            Node left = unary();
            while (eat("&&")) {
                left = new And(left, unary());
            }
            return left;
        }

        Node unary() {
            skipSpace();
            if (peek("!") && !peek("!=") && !peek("!~")) {
                pos++;
                return new Not(unary());
            }
            if (eat("(")) {
                Node inner = orExpr();
                if (!eat(")")) {
                    throw unsupported("missing ')'");
                }
                return inner;
            }
            if (eatWord("true")) {
                return new Constant(true);
            }
            if (eatWord("false")) {
                return new Constant(false);
            }
            return comparison();
        }

        Node comparison() {
            int start = pos;
            Word left = word();
            skipSpace();
            String op = null;
            for (String c : COMPARISONS) {
                if (c.equals("contains") ? peekWord(c) : peek(c)) {
                    op = c;
                    break;
                }
            }
            if (op == null) {
                throw unsupported(pos >= s.length() ? "a comparison needs an operator after '" + s.substring(start).trim() + "'"
                        : "'" + rest() + "' is not an operator Portico evaluates");
            }
            pos += op.length();
            if (op.equals("=~") || op.equals("!~")) {
                return new Match(left, regex(), op.equals("!~"));
            }
            return new Compare(left, op, word());
        }

        Word word() {
            skipSpace();
            if (pos >= s.length()) {
                throw unsupported("the expression ends where a value is expected");
            }
            char c = s.charAt(pos);
            if (peek("%{")) {
                int end = s.indexOf('}', pos);
                if (end < 0) {
                    throw unsupported("'%{' is not closed");
                }
                String name = s.substring(pos + 2, end).trim();
                Word w = switch (name.toUpperCase(Locale.ROOT)) {
                    case "REQUEST_STATUS" -> Variable.STATUS;
                    case "HC_BODY" -> Variable.BODY;
                    default -> throw unsupported("variable %{" + name + "} is not one Portico evaluates"
                            + " (%{REQUEST_STATUS}, %{HC_BODY})");
                };
                pos = end + 1;
                return w;
            }
            if (c == '\'' || c == '"') {
                return new Literal(quoted());
            }
            if (Character.isDigit(c) || (c == '-' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1)))) {
                int start = pos++;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                return new Literal(s.substring(start, pos));
            }
            if (Character.isLetter(c)) {
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                    pos++;
                }
                String fn = s.substring(start, pos);
                skipSpace();
                if (!eat("(")) {
                    pos = start;
                    throw unsupported("'" + fn + "' is not a value Portico evaluates; " + ALLOWED);
                }
                skipSpace();
                if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
                    throw unsupported(fn + "() takes one quoted argument");
                }
                String arg = quoted();
                if (!eat(")")) {
                    throw unsupported("missing ')' after " + fn + "('" + arg + "'");
                }
                if (fn.equalsIgnoreCase("hc") && arg.equalsIgnoreCase("body")) {
                    return Variable.BODY;
                }
                if (fn.equalsIgnoreCase("resp")) {
                    return new Header(arg);
                }
                pos = start;
                throw unsupported("function " + fn + "('" + arg + "') is not one Portico evaluates (hc('body'), resp('Header'))");
            }
            throw unsupported("'" + rest() + "' is not a value Portico evaluates; " + ALLOWED);
        }

        private String quoted() {
            char q = s.charAt(pos);
            int end = s.indexOf(q, pos + 1);
            if (end < 0) {
                throw unsupported("the string is not closed");
            }
            String v = s.substring(pos + 1, end);
            if (v.contains("%{") || v.contains("\\")) {
                throw unsupported("strings with %{...} or backslash escapes are not evaluated by Portico");
            }
            pos = end + 1;
            return v;
        }

        private Pattern regex() {
            skipSpace();
            char open;
            if (peek("/")) {
                open = '/';
                pos++;
            } else if (peek("m") && pos + 1 < s.length() && !Character.isLetterOrDigit(s.charAt(pos + 1))
                    && !Character.isWhitespace(s.charAt(pos + 1))) {
                open = s.charAt(pos + 1);
                pos += 2;
            } else {
                throw unsupported("=~ and !~ take a regular expression: /regex/ or m#regex#");
            }
            int start = pos;
            StringBuilder re = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != open) {
                if (s.charAt(pos) == '\\' && pos + 1 < s.length() && s.charAt(pos + 1) == open) {
                    pos++; // an escaped delimiter stands for itself
                }
                re.append(s.charAt(pos++));
            }
            if (pos >= s.length()) {
                pos = start;
                throw unsupported("the regular expression is not closed with '" + open + "'");
            }
            pos++;
            int flags = 0;
            if (pos < s.length() && s.charAt(pos) == 'i') {
                flags = Pattern.CASE_INSENSITIVE;
                pos++;
            }
            if (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
                throw unsupported("regex flag '" + s.charAt(pos) + "' is not supported (only i)");
            }
            try {
                return Pattern.compile(re.toString(), flags);
            } catch (PatternSyntaxException e) {
                pos = start;
                throw unsupported("the regular expression does not compile: " + e.getDescription());
            }
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(String token) {
            return s.startsWith(token, pos);
        }

        private boolean peekWord(String word) {
            int end = pos + word.length();
            return s.startsWith(word, pos) && (end >= s.length() || !Character.isLetterOrDigit(s.charAt(end)));
        }

        private boolean eat(String token) {
            skipSpace();
            if (peek(token)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private boolean eatWord(String word) {
            skipSpace();
            if (peekWord(word)) {
                pos += word.length();
                return true;
            }
            return false;
        }

        String rest() {
            String r = s.substring(pos);
            return r.length() > 20 ? r.substring(0, 20) + "..." : r;
        }

        Unsupported unsupported(String problem) {
            return new Unsupported(s, pos, problem);
        }
    }
}
