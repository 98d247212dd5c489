package org.portico.routing;

import java.util.regex.Pattern;

import org.portico.config.BackendTarget;
import org.portico.config.PassRule;
import org.portico.config.SourceLocation;

/** Pass rules for tests, written as compactly as the descriptor's elements. */
final class Rules {

    private static final SourceLocation TEST = SourceLocation.unknown("test");

    private Rules() {
    }

    static PassRule pass(String path, String to) {
        return new PassRule(path, null, to == null ? null : BackendTarget.parse(to), false, false, false, false, TEST);
    }

    static PassRule passNocanon(String path, String to) {
        return new PassRule(path, null, BackendTarget.parse(to), false, true, false, false, TEST);
    }

    static PassRule exclude(String path) {
        return new PassRule(path, null, null, true, false, false, false, TEST);
    }

    static PassRule passMatch(String regex, String to) {
        return new PassRule(null, Pattern.compile(regex), BackendTarget.parse(to), false, false, false, false, TEST);
    }

    static PassRule passMatchNocanon(String regex, String to) {
        return new PassRule(null, Pattern.compile(regex), BackendTarget.parse(to), false, true, false, false, TEST);
    }

    static PassRule excludeMatch(String regex) {
        return new PassRule(null, Pattern.compile(regex), null, true, false, false, false, TEST);
    }
}
