package org.portico.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;

/**
 * The path of a ProxyPassMatch target (what follows the balancer name or the worker's authority) with its
 * {@code $0}..{@code $9} references, expanded as httpd's {@code ap_pregsub} does: {@code $} before a digit is a group, a backslash takes the next character literally, anything else
 * is literal. Immutable.
 */
final class TargetTemplate {

    /** Literal text, or a group reference when {@code text} is null. */
    private record Part(String text, int group) {
    }

    private final List<Part> parts;
    private final boolean substitutes;

    TargetTemplate(String targetPath) {
        List<Part> list = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean any = false;
        int i = 0;
        while (i < targetPath.length()) {
            char c = targetPath.charAt(i);
            char next = i + 1 < targetPath.length() ? targetPath.charAt(i + 1) : 0;
            if (c == '$' && next >= '0' && next <= '9') {
                if (literal.length() > 0) {
                    list.add(new Part(literal.toString(), -1));
                    literal.setLength(0);
                }
                list.add(new Part(null, next - '0'));
                any = true;
                i += 2;
            } else if (c == '\\' && next != 0) {
                literal.append(next);
                any = true;
                i += 2;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            list.add(new Part(literal.toString(), -1));
        }
        this.parts = List.copyOf(list);
        this.substitutes = any;
    }

    /**
     * Whether expanding can change the target. httpd appends the whole request path when it does not
     * ({@code ProxyPassMatch \.gif$ balancer://foo}).
     */
    boolean substitutes() {
        return substitutes;
    }

    /**
     * @param match the successful match
     * @param encodeGroups whether group text is decoded and must be %-encoded again for a URL path
     */
    String expand(MatchResult match, boolean encodeGroups) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.text() != null) {
                out.append(part.text());
                continue;
            }
            String group = part.group() <= match.groupCount() ? match.group(part.group()) : null;
            if (group != null) {
                out.append(encodeGroups ? PercentEncoding.encodePath(group) : group);
            }
        }
        return out.toString();
    }
}
