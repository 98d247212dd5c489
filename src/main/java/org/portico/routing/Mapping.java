package org.portico.routing;

import java.util.Objects;

import org.portico.config.BackendTarget;
import org.portico.config.PassRule;

/**
 * The outcome of mapping: the rule that matched and this request's target (no query string).
 *
 * @param rule the first rule that matched; never null
 * @param target the balancer or worker and the path to send (no query string); null when the rule is an exclusion
 */
public record Mapping(PassRule rule, BackendTarget target) {

    public Mapping {
        Objects.requireNonNull(rule, "rule");
    }

    /** Whether a {@code !} rule matched, so the request is not proxied. */
    public boolean excluded() {
        return rule.exclude();
    }
}
