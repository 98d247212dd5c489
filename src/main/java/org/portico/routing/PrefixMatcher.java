package org.portico.routing;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.portico.config.PassRule;

/**
 * A ProxyPass prefix rule, matched like httpd's {@code alias_match}: a run of '/' in the rule matches a run
 * of '/' in the request, other characters compare exactly with the decoded request, and a rule that does not
 * end in '/' must end at a segment boundary.
 */
final class PrefixMatcher implements RuleMatcher {

    private final PassRule rule;
    /** The rule path as UTF-8, so it can be compared with %-decoded request bytes one byte at a time. */
    private final byte[] prefix;

    PrefixMatcher(PassRule rule) {
        this.rule = rule;
        String path = Objects.requireNonNull(rule.path(), "path of a prefix rule");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("pass path must start with '/': " + rule);
        }
        this.prefix = path.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mapping map(String path) {
        int end = matchedLength(path);
        if (end < 0) {
            return null;
        }
        if (rule.exclude()) {
            return new Mapping(rule, null);
        }
        // the remainder comes from the raw path: as the client sent it with nocanon, else in httpd's canonical form
        String rest = path.substring(end);
        return new Mapping(rule, rule.target().append(rule.nocanon() ? rest : PercentEncoding.canonicalPath(rest)));
    }

    /**
     * Walks the raw path, decoding {@code %XX} on the fly, against the rule's bytes.
     *
     * @return how many characters of {@code raw} the rule matched (more than the rule's length when escapes
     *         or extra slashes matched), or -1
     */
    int matchedLength(String raw) {
        int r = 0;
        int p = 0;
        while (p < prefix.length && r < raw.length()) {
            if (prefix[p] == '/') {
                // only a literal slash separates segments; %2F is data
                if (raw.charAt(r) != '/') {
                    return -1;
                }
                while (p < prefix.length && prefix[p] == '/') {
                    p++;
                }
                while (r < raw.length() && raw.charAt(r) == '/') {
                    r++;
                }
                continue;
            }
            int escaped = PercentEncoding.escapedByteAt(raw, r);
            if (escaped >= 0) {
                // prefix[p] is not '/' here, so an encoded slash never matches
                if ((byte) escaped != prefix[p]) {
                    return -1;
                }
                p++;
                r += 3;
                continue;
            }
            int cp = raw.codePointAt(r);
            if (Character.isSurrogate((char) cp)) {
                return -1; // a lone surrogate has no UTF-8 form, so no rule byte can equal it
            }
            byte[] bytes = cp < 0x80 ? null : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            if (bytes == null) {
                if (cp != prefix[p]) {
                    return -1;
                }
                p++;
            } else {
                for (byte b : bytes) {
                    if (p >= prefix.length || b != prefix[p]) {
                        return -1;
                    }
                    p++;
                }
            }
            r += Character.charCount(cp);
        }
        if (p < prefix.length) {
            return -1; // the request ended before the rule did: "/app/" does not match "/app"
        }
        if (prefix[prefix.length - 1] != '/' && r < raw.length() && raw.charAt(r) != '/') {
            return -1; // "/app" must not match "/appx"
        }
        return r;
    }
}
