package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Worker;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.config.DescriptorLoader;

/**
 * Generations swapped under requests: a request keeps the generation it started on, the pools of unchanged
 * members are kept across a reload, and a removed member's pool closes once the last request that could use it
 * ended, never before. No network: pools open no connection until a request is sent.
 */
class LiveGatewayTest {

    private static final LbMethods METHODS = LbMethods.discover(LiveGatewayTest.class.getClassLoader());

    private static Descriptor descriptor(String lbmethod, String... ports) throws DescriptorException {
        StringBuilder xml = new StringBuilder("<portico xmlns=\"urn:portico:descriptor:1\">\n<balancer name=\"web\" lbmethod=\"")
                .append(lbmethod).append("\">\n");
        for (String port : ports) {
            xml.append("<member url=\"http://127.0.0.1:").append(port).append("\"/>\n");
        }
        xml.append("</balancer>\n<pass path=\"/\" to=\"balancer://web/\"/>\n</portico>\n");
        return DescriptorLoader.load(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)),
                "portico.xml", null);
    }

    @Test
    void aRemovedMembersPoolClosesOnlyAfterTheLastRequestOfTheOldGenerationEnded() throws Exception {
        try (LiveGateway live = new LiveGateway(new Gateway(descriptor("byrequests", "9", "10"), METHODS))) {
            Gateway first = live.current();
            Worker kept = first.balancer("web").member("http://127.0.0.1:9");
            GatewayHold inFlight = live.enter();
            LiveGateway.Swap swap = live.reload(descriptor("byrequests", "9", "11"));
            Gateway second = live.current();
            assertEquals(2, second.generation());
            assertEquals(List.of("balancer://web http://127.0.0.1:9"), swap.kept());
            assertEquals(List.of("balancer://web http://127.0.0.1:11"), swap.added());
            assertEquals(List.of("balancer://web http://127.0.0.1:10"), swap.removed());
            assertSame(kept, second.balancer("web").member("http://127.0.0.1:9"));
            assertSame(first.client(kept), second.client(kept), "an unchanged member keeps its pool and connections");
            assertSame(first, inFlight.gateway(), "a running request stays on its generation");
            assertEquals(3, second.openPools(), "the removed member's pool stays while a request may use it");
            inFlight.leave();
            assertTrue(first.drained());
            assertEquals(2, second.openPools(), "then it closes; the kept one does not");
        }
    }

    @Test
    void aDescriptorThatCannotRunLeavesTheRunningGenerationAsItWas() throws Exception {
        try (LiveGateway live = new LiveGateway(new Gateway(descriptor("byrequests", "9", "10"), METHODS))) {
            Gateway first = live.current();
            DescriptorException e = assertThrows(DescriptorException.class,
                    () -> live.reload(descriptor("no-such-method", "9", "11")));
            assertTrue(e.getMessage().startsWith("portico.xml:2:"), e.getMessage());
            assertSame(first, live.current());
            assertFalse(first.drained());
            assertEquals(2, first.openPools(), "the pool the failed build opened is closed again");
        }
    }

    /** The counting hand-off on its own: requests entering and leaving on many threads while generations swap. */
    @Test
    @Timeout(120)
    void underConcurrentReloadsNoRequestRunsOnAGenerationThatLetGoOfItsPools() throws Exception {
        Descriptor a = descriptor("byrequests", "9", "10");
        Descriptor b = descriptor("byrequests", "9", "11");
        try (LiveGateway live = new LiveGateway(new Gateway(a, METHODS))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong requests = new AtomicLong();
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            CountDownLatch started = new CountDownLatch(8);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    started.countDown();
                    while (!stop.get()) {
                        GatewayHold hold = live.enter();
                        if (hold.gateway().drained()) {
                            violations.add("generation " + hold.gateway().generation() + " entered after it let go");
                        }
                        Thread.yield(); // the request "runs"
                        if (hold.gateway().drained()) {
                            violations.add("generation " + hold.gateway().generation() + " let go under a request");
                        }
                        hold.leave();
                        requests.incrementAndGet();
                    }
                });
                thread.start();
                threads.add(thread);
            }
            started.await();
            List<Gateway> generations = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                generations.add(live.current());
                live.reload(i % 2 == 0 ? b : a);
            }
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(violations.isEmpty(), violations.toString());
            assertTrue(requests.get() > 0);
            for (Gateway g : generations) {
                assertTrue(g.drained(), "generation " + g.generation() + " let go of its pools");
                assertEquals(0, g.inFlight());
            }
            assertNotSame(generations.get(0), live.current());
            assertEquals(2, live.current().openPools(), "only the newest generation's pools are open");
        }
    }
}
