package org.portico.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a directive's arguments into words the way httpd's {@code ap_getword_conf} does: words are
 * separated by white space; a word that starts with {@code "} or {@code '} runs to the matching quote,
 * inside which a backslash escapes that quote or a backslash. A quote in the middle of a word is an
 * ordinary character ({@code key="a b"} is two words, as in httpd).
 */
final class Words {

    private Words() {
    }

    static List<String> split(String text) {
        return words(text, false);
    }

    /**
     * Splits like {@link #split} but also takes a word in braces, {@code {...}} with nesting, as one word
     * without its braces: httpd's {@code ap_getword_conf2}, which ProxyHCExpr uses for its expression.
     */
    static List<String> splitWithBraces(String text) {
        return words(text, true);
    }

    private static List<String> words(String text, boolean braces) {
        List<String> words = new ArrayList<>();
        int[] pos = {0};
        String w;
        while ((w = next(text, pos, braces)) != null) {
            words.add(w);
        }
        return words;
    }

    private static String next(String s, int[] pos, boolean braces) {
        int n = s.length();
        int i = pos[0];
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= n) {
            pos[0] = i;
            return null;
        }
        char c = s.charAt(i);
        StringBuilder word = new StringBuilder();
        if (c == '"' || c == '\'') {
            int j = i + 1;
            while (j < n && s.charAt(j) != c) {
                if (s.charAt(j) == '\\' && j + 1 < n && (s.charAt(j + 1) == c || s.charAt(j + 1) == '\\')) {
                    word.append(s.charAt(j + 1));
                    j += 2;
                } else {
                    word.append(s.charAt(j++));
                }
            }
            pos[0] = j < n ? j + 1 : j;
            return word.toString();
        }
        if (braces && c == '{') {
            int depth = 0;
            int j = i;
            for (; j < n; j++) {
                char d = s.charAt(j);
                if (d == '{') {
                    depth++;
                } else if (d == '}' && --depth == 0) {
                    break;
                }
            }
            pos[0] = j < n ? j + 1 : j;
            return s.substring(i + 1, Math.min(j, n)).trim();
        }
        int j = i;
        while (j < n && !Character.isWhitespace(s.charAt(j))) {
            if (s.charAt(j) == '\\' && j + 1 < n && s.charAt(j + 1) == '\\') {
                word.append('\\');
                j += 2;
            } else {
                word.append(s.charAt(j++));
            }
        }
        pos[0] = j;
        return word.toString();
    }
}
