package org.portico.config;

import java.util.regex.Pattern;

/**
 * One ProxyPass (prefix {@code path}) or ProxyPassMatch ({@code pattern}) rule, in document order.
 *
 * @param path the prefix, relative to the web app; null for a regex rule
 * @param pattern the compiled regex; null for a prefix rule
 * @param target where requests go, as written (a pass-match's may hold {@code $n}); null when {@code exclude}
 * @param reverse whether the reverse mapping (ProxyPassReverse) of this rule applies too
 */
public record PassRule(
        String path,
        Pattern pattern,
        BackendTarget target,
        boolean exclude,
        boolean nocanon,
        boolean noquery,
        boolean reverse,
        SourceLocation where) {

    public boolean isRegex() {
        return pattern != null;
    }

    public boolean targetsBalancer() {
        return target != null && target.isBalancer();
    }

    @Override
    public String toString() {
        return (isRegex() ? "pass-match " + pattern.pattern() : "pass " + path) + " -> " + (exclude ? "!" : target);
    }
}
