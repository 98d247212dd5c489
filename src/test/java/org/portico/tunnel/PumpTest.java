package org.portico.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Poll;

/** The tunnel's one-way pump on its own, with completions forced inside the call, on other threads, or by hand. */
class PumpTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<Throwable> done = new CopyOnWriteArrayList<>();
    private final AtomicLong moved = new AtomicLong();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private Pump pump(ScriptedEnd from, ScriptedEnd to) {
        return new Pump(from, to, moved::addAndGet, cause -> done.add(cause == null ? END : cause));
    }

    private static final Throwable END = new Throwable("end of stream");

    private static byte[][] chunks(int count, int size, long seed) {
        Random r = new Random(seed);
        byte[][] c = new byte[count][];
        for (int i = 0; i < count; i++) {
            c[i] = new byte[1 + r.nextInt(size)];
            r.nextBytes(c[i]);
        }
        return c;
    }

    private static byte[] concat(byte[][] chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    @Test
    void completionsInsideTheCallAreLoopedOverNotRecursedInto() {
        byte[][] data = chunks(200_000, 8, 1);
        ScriptedEnd from = new ScriptedEnd(ScriptedEnd.Mode.IMMEDIATE, ScriptedEnd.Mode.IMMEDIATE, null).chunks(data);
        ScriptedEnd to = new ScriptedEnd(ScriptedEnd.Mode.IMMEDIATE, ScriptedEnd.Mode.IMMEDIATE, null);
        pump(from, to).start(); // 200,000 nested completions would overflow the stack
        assertArrayEquals(concat(data), to.written());
        assertEquals(List.of(END), done);
        assertEquals(concat(data).length, moved.get());
    }

    @Test
    void theNextReadIsAskedForOnlyOnceTheWriteCompleted() {
        ScriptedEnd from = new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null)
                .chunks("one".getBytes(), "two".getBytes());
        ScriptedEnd to = new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null);
        Pump p = pump(from, to);
        p.start();
        assertTrue(from.readPending());
        from.completeRead();
        assertEquals(Pump.State.WRITING, p.state());
        assertTrue(to.writePending());
        assertFalse(from.readPending(), "no read while the write is outstanding: one buffer in flight");
        assertEquals(1, from.reads.get());
        to.completeWrite();
        assertTrue(from.readPending());
        assertEquals(2, from.reads.get());
        from.completeRead();
        to.completeWrite();
        from.completeRead(); // nothing left: end of stream
        assertEquals(Pump.State.DONE, p.state());
        assertEquals("onetwo", new String(to.written()));
        assertEquals(List.of(END), done);
    }

    @Test
    void aFailedWriteEndsThePumpOnceWithItsCause() {
        ScriptedEnd from = new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null).chunks("x".getBytes());
        ScriptedEnd to = new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null);
        Pump p = pump(from, to);
        p.start();
        from.completeRead();
        IOException reset = new IOException("reset");
        to.failWrite(reset);
        assertEquals(Pump.State.DONE, p.state());
        assertEquals(1, done.size());
        assertSame(reset, done.get(0));
        assertFalse(from.readPending(), "a failed pump reads no more");
    }

    @Test
    void aWriteThatCompletesAfterTheTunnelStoppedTheReadingAsksForNothingMore() {
        ScriptedEnd from = new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null)
                .chunks("a".getBytes(), "b".getBytes());
        ScriptedEnd to = new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null);
        Pump p = pump(from, to);
        p.start();
        from.completeRead();
        p.stop(); // the tunnel closed (the other direction failed) while this write was outstanding
        to.completeWrite();
        assertFalse(from.readPending());
        assertEquals(1, from.reads.get());
        assertTrue(done.isEmpty(), "a stopped pump does not report");
    }

    @Test
    void aReadFailureAndALateEndReportOnlyOnce() {
        ScriptedEnd from = new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null);
        ScriptedEnd to = new ScriptedEnd(ScriptedEnd.Mode.MANUAL, ScriptedEnd.Mode.MANUAL, null);
        Pump p = pump(from, to);
        p.start();
        p.failed(new IOException("first"));
        p.ended();
        p.failed(new IOException("second"));
        assertEquals(1, done.size());
        assertEquals("first", done.get(0).getMessage());
    }

    @Test
    void completionsOnOtherThreadsInEveryMixKeepOrderAndOneOperationInFlight() throws Exception {
        ScriptedEnd.Mode[] modes = {ScriptedEnd.Mode.IMMEDIATE, ScriptedEnd.Mode.EXECUTOR};
        for (int round = 0; round < 200; round++) {
            done.clear();
            byte[][] data = chunks(300, 64, round);
            ScriptedEnd.Mode readMode = modes[round % 2];
            ScriptedEnd.Mode writeMode = modes[(round / 2) % 2];
            ScriptedEnd from = new ScriptedEnd(readMode, writeMode, pool).chunks(data);
            ScriptedEnd to = new ScriptedEnd(readMode, writeMode, pool);
            pump(from, to).start();
            Poll.until(java.time.Duration.ofSeconds(20), () -> done.size(), n -> n > 0);
            assertArrayEquals(concat(data), to.written(), "round " + round);
            assertEquals(List.of(END), done, "round " + round);
            assertEquals(1, from.maxInFlight(), "reads in flight, round " + round);
            assertEquals(1, to.maxInFlight(), "writes in flight, round " + round);
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
}
