package org.portico.config;

import java.util.regex.Pattern;

/**
 * One ProxyPass (prefix {@code path}) or ProxyPassMatch ({@code pattern}) rule, in document order.
 *
 * @param path the prefix, relative to the web app; null for a regex rule
 * @param pattern the compiled regex; null for a prefix rule
 * @param target the URL requests go to; null when {@code exclude}
 * @param reverse whether the reverse mapping (ProxyPassReverse) of this rule applies too
 */
public record PassRule(
        String path,
        Pattern pattern,
        String target,
        boolean exclude,
        boolean nocanon,
        boolean noquery,
        boolean reverse,
        SourceLocation where) {

    public boolean isRegex() {
        return pattern != null;
    }

    public boolean targetsBalancer() {
        return target != null && target.regionMatches(true, 0, BalancerConfig.SCHEME, 0, BalancerConfig.SCHEME.length());
    }

    @Override
    public String toString() {
        return (isRegex() ? "pass-match " + pattern.pattern() : "pass " + path) + " -> " + (exclude ? "!" : target);
    }
}
