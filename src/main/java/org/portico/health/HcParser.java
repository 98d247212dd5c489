package org.portico.health;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.portico.health.HcExpression.And;
import org.portico.health.HcExpression.Compare;
import org.portico.health.HcExpression.Constant;
import org.portico.health.HcExpression.Header;
import org.portico.health.HcExpression.Literal;
import org.portico.health.HcExpression.Match;
import org.portico.health.HcExpression.Node;
import org.portico.health.HcExpression.Not;
import org.portico.health.HcExpression.Or;
import org.portico.health.HcExpression.Unsupported;
import org.portico.health.HcExpression.Variable;
import org.portico.health.HcExpression.Word;

/**
 * The recursive-descent parser of {@link HcExpression}: {@code || } binds loosest, then {@code &&},
 * then {@code !}, parentheses and comparisons. One instance parses one expression; not thread-safe.
 */
final class HcParser {

    private static final String ALLOWED = "use %{REQUEST_STATUS}, %{HC_BODY}, hc('body'), resp('Header'), 'strings',"
            + " numbers, == != < <= > >= -eq -ne -lt -le -gt -ge =~ !~ contains, true, false, !, &&, || and ( )";

    private static final List<String> COMPARISONS = List.of("==", "!=", "<=", ">=", "=~", "!~", "=", "<", ">",
            "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "contains");

    private final String s;
    private int pos;

    HcParser(String s) {
        this.s = s;
    }

    /** The expression, which must use up all of the text. */
    Node whole() {
        Node n = orExpr();
        skipSpace();
        if (pos < s.length()) {
            throw unsupported("unexpected '" + rest() + "'");
        }
        return n;
    }

    private Node orExpr() {
        Node left = andExpr();
        while (eat("||")) {
            left = new Or(left, andExpr());
        }
        return left;
    }

    private Node andExpr() {
        Node left = unary();
        while (eat("&&")) {
            left = new And(left, unary());
        }
        return left;
    }

    private Node unary() {
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

    private Node comparison() {
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

    private Word word() {
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

    private void skipSpace() {
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

    private String rest() {
        String r = s.substring(pos);
        return r.length() > 20 ? r.substring(0, 20) + "..." : r;
    }

    private Unsupported unsupported(String problem) {
        return new Unsupported(s, pos, problem);
    }
}
