package org.portico.manager;

/** Escaping for the manager's HTML and XML: every value that reaches a page goes through here. */
final class Html {

    private Html() {
    }

    /** Text and attribute values: {@code & < > " '} become entities. Null is empty. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(rep != null ? rep : "\uFFFD");
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** A query-string value, percent-encoded as UTF-8 (then {@link #escape}d when put in an attribute). */
    static String query(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
