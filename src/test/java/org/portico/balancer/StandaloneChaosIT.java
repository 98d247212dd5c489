package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Poll;

/**
 * A member dies under load and comes back (issue #12, point 4): GETs from several client threads through
 * a balancer of three real backends, while one backend is stopped and later started again on its port.
 * Requests that meet the dying member (a pooled connection found closed, a connection closed before
 * the answer, a refused connect) go out again or fail over: the clients see no error at all, the dead
 * member goes into error state, and once it is back and its retry time has passed it serves again.
 */
class StandaloneChaosIT {

    private static final int CLIENTS = 6;
    private static final int REQUESTS = 6000;
    private static final int KILL_AT = 1000;
    private static final int RESTART_AT = 3000;

    private static ProxiedBalancers proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxiedBalancers.start("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="chaos">
                    <member url="{{c1}}/name" retry="1s"/>
                    <member url="{{c2}}/name" retry="1s"/>
                    <member url="{{c3}}/name" retry="1s"/>
                  </balancer>
                  <pass path="/chaos/" to="balancer://chaos/"/>
                </portico>
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static long occurrences(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    @Test
    @Timeout(240)
    void killingAndRestartingAMemberUnderLoadCostsNoGetAnError() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        LongAdder done = new LongAdder();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        Map<String, LongAdder> answeredBy = new ConcurrentHashMap<>();
        AtomicInteger answeredByC2AfterRestart = new AtomicInteger();
        AtomicInteger phase = new AtomicInteger(); // 0 before the kill, 1 dead, 2 restarted
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        int port = proxy.backend("c2").port();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                running.add(clients.submit(() -> {
                    while (issued.getAndIncrement() < REQUESTS) {
                        String outcome;
                        try {
                            HttpResponse<String> r = proxy.get("/chaos/x");
                            String member = ProxiedBalancers.member(r);
                            answeredBy.computeIfAbsent(member, k -> new LongAdder()).increment();
                            if (phase.get() == 2 && "c2".equals(member)) {
                                answeredByC2AfterRestart.incrementAndGet();
                            }
                            outcome = r.statusCode() / 100 == 2 ? null : "status " + r.statusCode();
                        } catch (RuntimeException e) {
                            outcome = "no answer: " + e;
                        }
                        if (outcome != null) {
                            failures.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                        }
                        done.increment();
                    }
                    return null;
                }));
            }
            Poll.until(Duration.ofSeconds(60), done::sum, n -> n >= KILL_AT);
            proxy.kill("c2");
            phase.set(1);
            Poll.until(Duration.ofSeconds(60), done::sum, n -> n >= RESTART_AT);
            proxy.restart("c2", port);
            phase.set(2);
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        String log = proxy.output();
        String summary = REQUESTS + " GETs from " + CLIENTS + " clients, answered by " + answeredBy + ", failures " + failures
                + "; Portico sent " + occurrences(log, "sending it again") + " again on a new connection and failed "
                + occurrences(log, " fails over") + " over";
        System.out.println("chaos: " + summary);
        assertEquals(Map.of(), Map.copyOf(failures), () -> summary + "\n" + proxy.output());
        // the dead member went into error: a request met its refused port and failed over
        String deadMember = " to http://127.0.0.1:" + port + "/name failed (CONNECT_FAILED): ";
        assertTrue(proxy.output().contains(deadMember), () -> "no '" + deadMember + "' in\n" + proxy.output());
        // and came back: it answers again once restarted and past its 1 s retry
        if (answeredByC2AfterRestart.get() == 0) {
            Poll.until(Duration.ofSeconds(20), () -> ProxiedBalancers.member(proxy.get("/chaos/x")), "c2"::equals);
        }
    }
}
