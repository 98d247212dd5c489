package org.portico.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.portico.config.BackendTarget;
import org.portico.config.PassRule;
import org.portico.config.SourceLocation;
import org.portico.routing.Mapping;
import org.portico.routing.PathMapper;

/** Route matching: a request path against a realistic rule list (exclusions, prefixes, one regex). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PathMappingBenchmark {

    private PathMapper mapper;

    @Setup
    public void setUp() {
        SourceLocation at = SourceLocation.unknown("bench");
        List<PassRule> rules = new ArrayList<>();
        rules.add(new PassRule("/static/", null, null, true, false, false, false, at));
        for (int i = 0; i < 8; i++) {
            rules.add(new PassRule("/svc" + i + "/", null, BackendTarget.parse("http://127.0.0.1:90" + i + "/"), false, false, false, false, at));
        }
        rules.add(new PassRule(null, Pattern.compile("^(/.*\\.gif)$"), BackendTarget.parse("http://127.0.0.1:8085$1"), false, false, false, false, at));
        rules.add(new PassRule("/", null, BackendTarget.parse("balancer://app/"), false, false, false, true, at));
        mapper = new PathMapper(rules, true);
    }

    @Benchmark
    public Optional<Mapping> lastRuleCatchAll() {
        return mapper.map("/app/orders/12345/items");
    }

    @Benchmark
    public Optional<Mapping> earlyPrefix() {
        return mapper.map("/svc1/api/v1/users");
    }

    @Benchmark
    public Optional<Mapping> encodedPath() {
        return mapper.map("/app/a%2Fb/caf%C3%A9");
    }
}
