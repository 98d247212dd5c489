package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.FlappingBackend;
import org.portico.testkit.Http;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * The scale the issue asks for, on the standalone jar: 100 members checked every 100 ms while clients
 * load the proxy are all checked, again and again, by no more threads than {@code hc-tpsize}. Counts,
 * not times: the CPU cost of checking is measured by {@code bench/hcheck-cost.sh}.
 */
@Timeout(120)
class StandaloneManyMembersHealthCheckIT {

    private static final int MEMBERS = 100;
    private static final int TPSIZE = 4;
    private static final int CHECKS_EACH = 5;

    @Test
    void hundredMembersAtHundredMillisAreAllCheckedUnderLoadByNoMoreThreadsThanHcTpsize() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "thread names are read from /proc (Linux)");
        try (FlappingBackend backend = FlappingBackend.start("many")) {
            StringBuilder members = new StringBuilder();
            for (int i = 0; i < MEMBERS; i++) { // a path each: 100 distinct member URLs, 100 checks
                members.append("<member url=\"").append(backend.origin()).append("/m").append(i)
                        .append("\" hcmethod=\"GET\" hcuri=\"/health\" hcinterval=\"100ms\"/>\n");
            }
            Path descriptor = PorticoProcess.descriptor("""
                    <portico xmlns="urn:portico:descriptor:1">
                      <settings hc-tpsize="%d"/>
                      <balancer name="many">
                    %s  </balancer>
                      <pass path="/many/" to="balancer://many/"/>
                    </portico>
                    """.formatted(TPSIZE, members));
            try (PorticoProcess portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0")) {
                String url = portico.awaitUrl(Duration.ofSeconds(60));
                String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                AtomicBoolean loading = new AtomicBoolean(true);
                Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<?>> load = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    load.add(clients.submit(() -> {
                        while (loading.get()) {
                            HttpResponse<String> r = Http.get(URI.create(base + "/many/x"));
                            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    }));
                }
                int[] mostThreads = {0};
                try {
                    Poll.until(Duration.ofSeconds(90), () -> {
                        mostThreads[0] = Math.max(mostThreads[0], checkThreads(portico.pid()));
                        return checksPerMember(backend);
                    }, seen -> seen.size() == MEMBERS && seen.values().stream().allMatch(n -> n >= CHECKS_EACH));
                } finally {
                    loading.set(false);
                    for (Future<?> f : load) {
                        f.get();
                    }
                    clients.shutdown();
                }
                assertTrue(mostThreads[0] >= 1, "no check thread was ever seen: the names are not where they are read");
                assertTrue(mostThreads[0] <= TPSIZE, mostThreads[0] + " check threads, hc-tpsize " + TPSIZE);
                assertEquals(List.of(200), List.copyOf(statuses.keySet()), "the load was served: " + statuses);
                assertTrue(statuses.get(200).get() >= 4, "the load was served: " + statuses);
            }
        }
    }

    /** Checks received so far per member path ({@code /m7//health} counts for m7). */
    private static Map<String, Long> checksPerMember(FlappingBackend backend) {
        return backend.healthHeads().stream()
                .map(h -> h.split(" ", 3)[1])
                .map(target -> target.substring(0, target.indexOf("//health")))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** Portico's threads named {@code portico-hc-N} (the check pool; the watchdog is not counted). */
    private static int checkThreads(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            int n = 0;
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().matches("portico-hc-\\d+")) {
                        n++;
                    }
                } catch (IOException ended) {
                    // the thread ended between the listing and the read
                }
            }
            return n;
        }
    }
}
