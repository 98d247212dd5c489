package org.portico.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.portico.balancer.StickyRoute;
import org.portico.config.BalancerConfig;
import org.portico.config.SourceLocation;

/** Finding a request's session route (stickysession=JSESSIONID|jsessionid) in its URL or its cookies. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StickyRouteBenchmark {

    private final BalancerConfig balancer = BalancerConfig.custom("bench").setStickyCookie("JSESSIONID")
            .setStickyPath("jsessionid").setScolonPathDelim(true).setWhere(SourceLocation.unknown("bench")).build();

    /** A browser's cookie header: analytics and preferences before the session. */
    private final List<String> cookies = List.of(
            "_ga=GA1.1.123456789.1700000000; theme=dark; lang=en-GB; JSESSIONID=8F3C2A9B7D6E5F4A3B2C1D0E.node2; _gid=x");

    @Benchmark
    public StickyRoute routeInPathParameter() {
        return StickyRoute.find("/shop/cart;jsessionid=8F3C2A9B7D6E5F4A3B2C1D0E.node2?item=42", cookies, balancer);
    }

    @Benchmark
    public StickyRoute routeInCookie() {
        return StickyRoute.find("/shop/cart?item=42", cookies, balancer);
    }

    @Benchmark
    public StickyRoute noSession() {
        return StickyRoute.find("/shop/cart?item=42", List.of("theme=dark; lang=en-GB"), balancer);
    }
}
