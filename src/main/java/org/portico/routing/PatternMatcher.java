package org.portico.routing;

import java.util.regex.Matcher;

import org.portico.config.PassRule;

/**
 * A ProxyPassMatch rule: an unanchored regex search on the decoded path (the raw path with nocanon),
 * with {@code $n} references in the target.
 */
final class PatternMatcher implements RuleMatcher {

    private final PassRule rule;
    private final TargetTemplate template;

    PatternMatcher(PassRule rule) {
        this.rule = rule;
        this.template = rule.exclude() ? null : new TargetTemplate(rule.target().path());
    }

    @Override
    public Mapping map(String path) {
        String decoded = rule.nocanon() ? null : PercentEncoding.decode(path);
        // a path that is not valid %-encoded UTF-8 is matched as sent rather than refused here
        Matcher m = rule.pattern().matcher(decoded != null ? decoded : path);
        if (!m.find()) {
            return null;
        }
        if (rule.exclude()) {
            return new Mapping(rule, null);
        }
        if (!template.substitutes()) {
            return new Mapping(rule, rule.target().append(rule.nocanon() ? path : PercentEncoding.canonicalPath(path)));
        }
        return new Mapping(rule, rule.target().withPath(template.expand(m, decoded != null)));
    }
}
