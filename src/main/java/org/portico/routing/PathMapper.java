package org.portico.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.portico.config.PassRule;

/** Maps a request path to the first matching pass rule and the backend URL it gives. Immutable, thread-safe. */
public final class PathMapper {

    private final List<RuleMatcher> matchers;
    private final boolean mergeSlashes;

    /**
     * @param rules the pass and pass-match rules in document order
     * @param mergeSlashes whether runs of '/' in request paths are merged before matching (httpd's MergeSlashes)
     * @throws IllegalArgumentException when a rule has neither a path nor a pattern, or a non-exclusion has no target
     */
    public PathMapper(List<PassRule> rules, boolean mergeSlashes) {
        this.matchers = Objects.requireNonNull(rules, "rules").stream().map(PathMapper::matcher).toList();
        this.mergeSlashes = mergeSlashes;
    }

    private static RuleMatcher matcher(PassRule rule) {
        Objects.requireNonNull(rule, "rule");
        if ((rule.path() == null) == (rule.pattern() == null)) {
            throw new IllegalArgumentException("a pass rule needs exactly one of path and pattern: " + rule);
        }
        if (!rule.exclude() && rule.target() == null) {
            throw new IllegalArgumentException("a pass rule that does not exclude needs a target: " + rule);
        }
        return RuleMatcher.of(rule);
    }

    /**
     * @param rawPath the request path inside the web app (context path already removed), still %-encoded exactly as
     *        the client sent it, without the query. Always starts with "/" (caller guarantees).
     * @return empty when no rule matches (the caller answers 404); a Mapping whose {@code rule().exclude()} is true
     *         when a {@code !} rule matched first. Never throws on malformed escapes: they are taken literally.
     */
    public Optional<Mapping> map(String rawPath) {
        String path = PathNormalizer.normalize(Objects.requireNonNull(rawPath, "rawPath"), mergeSlashes);
        for (RuleMatcher matcher : matchers) {
            Mapping mapping = matcher.map(path);
            if (mapping != null) {
                return Optional.of(mapping);
            }
        }
        return Optional.empty();
    }
}
