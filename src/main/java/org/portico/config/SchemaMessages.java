package org.portico.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xml.sax.SAXParseException;

/**
 * Rewords the XML Schema validator's errors ({@code cvc-...}, always requested in English) as descriptor
 * problems that name the attribute or element and say what is allowed, placed at the attribute or at the
 * start of the element's tag. Anything it does not recognise keeps the validator's own text. Stateless.
 */
final class SchemaMessages {

    private static final String NS = "\"" + DescriptorReader.NAMESPACE + "\":";
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private SchemaMessages() {
    }

    /** Whether {@code e} is a check of a value against its type, which the validator follows with the attribute's name. */
    static boolean isValueError(SAXParseException e) {
        String key = key(e.getMessage());
        return key.startsWith("cvc-pattern-valid") || key.startsWith("cvc-maxInclusive-valid")
                || key.startsWith("cvc-minInclusive-valid") || key.startsWith("cvc-enumeration-valid")
                || key.startsWith("cvc-datatype-valid") || key.startsWith("cvc-maxLength-valid")
                || key.startsWith("cvc-minLength-valid");
    }

    /**
     * @param error the first validation error
     * @param context the error that followed a value error (cvc-attribute.3 names the attribute), or null
     */
    static DescriptorException explain(SourceText src, SAXParseException error, SAXParseException context) {
        String key = key(error.getMessage());
        List<String> q = quoted(error.getMessage());
        int line = error.getLineNumber();
        int col = error.getColumnNumber();
        if (isValueError(error)) {
            List<String> attr = context != null && key(context.getMessage()).equals("cvc-attribute.3")
                    ? quoted(context.getMessage()) : List.of();
            if (attr.size() >= 3) {
                return new DescriptorException(src.attribute(line, col, attr.get(1)),
                        attr.get(1) + "=\"" + attr.get(0) + "\" on <" + attr.get(2) + "> " + valueProblem(key, q));
            }
            return new DescriptorException(src.tagStart(line, col),
                    (q.isEmpty() ? "a value" : "'" + q.get(0) + "'") + " " + valueProblem(key, q));
        }
        switch (key) {
            case "cvc-complex-type.3.2.2":
                if (q.size() >= 2) {
                    return new DescriptorException(src.attribute(line, col, q.get(0)),
                            "<" + q.get(1) + "> has no attribute '" + q.get(0) + "'");
                }
                break;
            case "cvc-complex-type.4":
                if (q.size() >= 2) {
                    return new DescriptorException(src.tagStart(line, col),
                            "<" + q.get(1) + "> needs the attribute '" + q.get(0) + "'");
                }
                break;
            case "cvc-complex-type.2.4.a":
                if (q.size() >= 2) {
                    return new DescriptorException(src.tagStart(line, col), "<" + element(q.get(0))
                            + "> is not allowed here; expected one of: " + elements(q.get(1)));
                }
                break;
            case "cvc-complex-type.2.4.b":
                if (q.size() >= 2) {
                    return new DescriptorException(src.tagStart(line, col), "<" + element(q.get(0))
                            + "> is incomplete; expected one of: " + elements(q.get(1)));
                }
                break;
            case "cvc-complex-type.2.4.d":
                if (!q.isEmpty()) {
                    return new DescriptorException(src.tagStart(line, col),
                            "<" + element(q.get(0)) + "> is not allowed here: no more elements are expected");
                }
                break;
            case "cvc-complex-type.2.1":
            case "cvc-complex-type.2.3":
                if (!q.isEmpty()) {
                    return new DescriptorException(src.tagStart(line, col),
                            "<" + element(q.get(0)) + "> must not contain text");
                }
                break;
            case "cvc-elt.1.a":
                return new DescriptorException(src.tagStart(line, col), "the root element must be <portico xmlns=\""
                        + DescriptorReader.NAMESPACE + "\">" + (q.isEmpty() ? "" : ", not <" + q.get(0) + "> in another namespace"));
            case "cvc-id.2":
                if (!q.isEmpty()) {
                    return new DescriptorException(src.tagStart(line, col), "the id '" + q.get(0) + "' is declared twice");
                }
                break;
            default:
                break;
        }
        return new DescriptorException(src.tagStart(line, col), withoutKey(error.getMessage()));
    }

    private static String valueProblem(String key, List<String> q) {
        String value = q.isEmpty() ? "" : q.get(0);
        if (key.startsWith("cvc-pattern-valid") && q.size() >= 3) {
            String type = q.get(2);
            switch (type) {
                case "Duration":
                    return "is not a duration: write a whole number and a unit (ms, s, m or h)"
                            + (value.matches("[0-9]+") ? ", e.g. " + value + "s" : ", e.g. 250ms or 5s");
                case "Status":
                    return "is not a status: write the flags I, N, D, S, E, H, R or C, each after an optional"
                            + " + (set) or - (clear), e.g. +H or S-E";
                case "ContextPath":
                    return "is not a path: it must start with /";
                case "StatusCodes":
                    return "is not a list of HTTP status codes: write codes from 100 to 599 separated by commas"
                            + " or spaces, e.g. 500,503";
                case "#AnonType_nameBalancer":
                    return "is not a balancer name: use letters, digits and . _ ~ -";
                case "#AnonType_stickysessionsepBalancer":
                    return "is not a separator: use a single character, or Off";
                default:
                    return "does not match the pattern " + q.get(1);
            }
        }
        if (key.startsWith("cvc-maxInclusive-valid") && q.size() >= 2) {
            return "is too large: the largest allowed value is " + q.get(1);
        }
        if (key.startsWith("cvc-minInclusive-valid") && q.size() >= 2) {
            return "is too small: the smallest allowed value is " + q.get(1);
        }
        if (key.startsWith("cvc-enumeration-valid") && q.size() >= 2) {
            return "is not allowed: use one of " + q.get(1).replaceAll("^\\[|\\]$", "");
        }
        if (key.startsWith("cvc-datatype-valid") && q.size() >= 2) {
            switch (q.get(1)) {
                case "int":
                case "integer":
                    return "is not a whole number";
                case "decimal":
                    return "is not a number";
                case "boolean":
                    return "is not true or false";
                case "NCName":
                case "ID":
                    return "is not a name: use letters, digits, '.', '-' and '_', not starting with a digit";
                default:
                    return "is not a valid " + q.get(1);
            }
        }
        if (key.startsWith("cvc-maxLength-valid") && q.size() >= 3) {
            return "is too long: use at most " + q.get(2) + " characters";
        }
        if (key.startsWith("cvc-minLength-valid") && q.size() >= 3) {
            return "1".equals(q.get(2)) ? "must not be empty" : "is too short: use at least " + q.get(2) + " characters";
        }
        return "is not valid";
    }

    /** {@code {"urn:portico:descriptor:1":bogus}} → {@code bogus}; other namespaces stay visible. */
    private static String element(String qname) {
        String s = qname.replace(NS, "");
        if (s.startsWith("{") && s.endsWith("}")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String elements(String list) {
        String s = element(list);
        List<String> out = new ArrayList<>();
        for (String e : s.split(",\\s*")) {
            out.add("<" + e.trim() + ">");
        }
        return String.join(", ", out);
    }

    private static String key(String message) {
        if (message == null || !message.startsWith("cvc-")) {
            return "";
        }
        int colon = message.indexOf(": ");
        return colon > 0 ? message.substring(0, colon) : "";
    }

    private static String withoutKey(String message) {
        String key = key(message);
        return key.isEmpty() ? String.valueOf(message) : message.substring(key.length() + 2);
    }

    private static List<String> quoted(String message) {
        List<String> out = new ArrayList<>();
        if (message != null) {
            Matcher m = QUOTED.matcher(withoutKey(message));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
