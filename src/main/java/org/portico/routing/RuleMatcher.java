package org.portico.routing;

import org.portico.config.PassRule;

/** One pass rule prepared for matching normalised request paths. Implementations are immutable and thread-safe. */
sealed interface RuleMatcher permits PrefixMatcher, PatternMatcher {

    /** A matcher for {@code rule}, prefix or regex as the rule says. */
    static RuleMatcher of(PassRule rule) {
        return rule.isRegex() ? new PatternMatcher(rule) : new PrefixMatcher(rule);
    }

    /**
     * @param path the normalised request path, still %-encoded
     * @return the mapping when this rule matches {@code path}, else null
     */
    Mapping map(String path);
}
