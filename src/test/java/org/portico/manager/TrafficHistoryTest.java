package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.proxy.Gateway;

/** The live picture's samples: per-second rates between samples, in a ring that never grows past its size. */
class TrafficHistoryTest {

    @Test
    void ratesComeFromConsecutiveSamplesAndTheRingIsBounded() throws Exception {
        try (Gateway g = Fixtures.gateway("<balancer name=\"x\"><member url=\"http://h\"/></balancer>")) {
            AtomicLong clock = new AtomicLong(1_000_000);
            TrafficHistory h = new TrafficHistory(g, Duration.ofSeconds(5), clock::get);
            Balancer b = g.balancer("x");
            Worker w = b.members().get(0);
            h.sample();
            for (int i = 0; i < 10; i++) {
                w.countElection();
            }
            w.markError(clock.get());
            clock.addAndGet(5000);
            h.sample();
            assertEquals(List.of(2.0), h.rates(b, w).requests(), "10 elections in 5 s");
            assertEquals(List.of(0.2), h.rates(b, w).errors());
            for (int i = 0; i < 3 * TrafficHistory.CAPACITY; i++) {
                clock.addAndGet(5000);
                h.sample();
            }
            assertEquals(TrafficHistory.CAPACITY - 1, h.rates(b, w).requests().size());
            Map<String, Object> json = h.toJson();
            assertEquals(5L, Json.parse(Json.write(json)) instanceof Map<?, ?> m ? m.get("interval") : null);
        }
    }

    @Test
    void membersAddedAtRunTimeGetARingAtTheNextSample() throws Exception {
        try (Gateway g = Fixtures.gateway("<balancer name=\"x\" growth=\"1\"><member url=\"http://h\"/></balancer>")) {
            TrafficHistory h = new TrafficHistory(g, Duration.ofSeconds(1), System::currentTimeMillis);
            h.sample();
            Worker added = g.addMember("x", "http://i");
            h.sample();
            h.sample();
            assertEquals(1, h.rates(g.balancer("x"), added).requests().size());
            assertTrue(Json.write(h.toJson()).contains("\"name\":\"http://i\""));
        }
    }
}
