package org.portico.rewrite;

/**
 * Guards for header values the rewriters produce: no CR, LF or other control character may reach
 * the client, so that neither a backend nor a rule can end a header line and start another.
 * Stateless; safe from any thread.
 */
final class HeaderText {

    private HeaderText() {
    }

    /** Whether {@code s} holds a control character other than horizontal tab (CTL of RFC 9110, minus HTAB). */
    static boolean hasControls(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} without its control characters (horizontal tab kept); {@code s} itself when it has none. */
    static String withoutControls(String s) {
        if (!hasControls(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isControl(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }
}
