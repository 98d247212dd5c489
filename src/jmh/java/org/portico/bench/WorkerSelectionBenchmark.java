package org.portico.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerOptions;
import org.portico.balancer.ByRequests;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.SourceLocation;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/** byrequests selection with 2 and 100 members, single-threaded and contended. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WorkerSelectionBenchmark {

    @Param({"2", "100"})
    public int members;

    private Balancer balancer;

    @Setup
    public void setUp() {
        List<WorkerConfig> ws = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String url = "http://127.0.0.1:" + (20000 + i);
            ws.add(new WorkerConfig(url, java.net.URI.create(url), WorkerParams.defaults(), SourceLocation.unknown("bench")));
        }
        BalancerConfig config = BalancerConfig.custom("bench").setMembers(ws).setWhere(SourceLocation.unknown("bench")).build();
        balancer = new Balancer(config, new ByRequests(), BalancerOptions.DEFAULTS);
    }

    @Benchmark
    public Worker select() {
        return balancer.selectWithoutSession(System.currentTimeMillis()).worker();
    }

    @Benchmark
    @org.openjdk.jmh.annotations.Threads(4)
    public Worker selectContended() {
        return balancer.selectWithoutSession(System.currentTimeMillis()).worker();
    }
}
