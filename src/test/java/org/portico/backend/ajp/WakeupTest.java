package org.portico.backend.ajp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The body's "more is ready" signal on its own: no lost wake-up, signals collapse, timeouts, cancel. */
class WakeupTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);
    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void aSignalBeforeTheWaitIsKept() throws Exception {
        Wakeup w = new Wakeup();
        w.signal();
        assertTrue(w.await(SHORT));
        assertFalse(w.await(SHORT), "consumed by the first wait");
    }

    @Test
    void manySignalsWakeOneWaitOnly() throws Exception {
        Wakeup w = new Wakeup();
        w.signal();
        w.signal();
        w.signal();
        assertTrue(w.poll());
        assertFalse(w.poll());
    }

    @Test
    void aWaiterWakesOnASignalFromAnotherThread() throws Exception {
        Wakeup w = new Wakeup();
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> {
            try {
                return w.await(LONG);
            } catch (Credit.Cancelled e) {
                throw new IllegalStateException(e);
            }
        });
        w.signal();
        assertTrue(woke.get(10, TimeUnit.SECONDS));
    }

    @Test
    void cancelEndsTheWaitAndAllLaterOnes() throws Exception {
        Wakeup w = new Wakeup();
        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            try {
                w.await(LONG);
                return null;
            } catch (Credit.Cancelled e) {
                return e;
            }
        });
        w.cancel();
        assertTrue(ended.get(10, TimeUnit.SECONDS) instanceof Credit.Cancelled);
        w.signal();
        assertThrows(Credit.Cancelled.class, () -> w.await(SHORT));
    }

    @Test
    void noSignalIsLostBetweenAProducerAndTheWaitingThread() throws Exception {
        Wakeup w = new Wakeup();
        AtomicInteger produced = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        int rounds = 20_000;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                produced.incrementAndGet();
                w.signal();
            }
        });
        producer.start();
        // the consumer takes what was produced whenever it wakes, as the body sender does: it must never
        // sleep while something is produced and unseen
        while (consumed.get() < rounds) {
            if (consumed.get() == produced.get()) {
                assertTrue(w.await(LONG), "a signal was lost at " + consumed.get());
            }
            consumed.set(produced.get());
        }
        producer.join();
    }
}
