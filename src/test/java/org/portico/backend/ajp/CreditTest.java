package org.portico.backend.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Poll;

/** The response credit on its own: waits for grants, times out, cancels, saturates, and loses nothing under races. */
class CreditTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    @Test
    void theInitialWindowIsTakenInPiecesUpToWhatIsAsked() throws Exception {
        Credit c = new Credit(10);
        assertEquals(4, c.take(4, LONG));
        assertEquals(6, c.take(100, LONG));
        assertEquals(0, c.take(1, TimeUnit.MILLISECONDS.toNanos(20)), "none left: the wait runs out");
    }

    @Test
    void aTakeWaitsUntilAnotherThreadGrants() throws Exception {
        Credit c = new Credit(0);
        CompletableFuture<Integer> taken = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(c.take(8192, LONG));
            } catch (Credit.Cancelled | RuntimeException e) {
                taken.completeExceptionally(e);
            }
        }, "credit-taker");
        taker.start();
        // the grant must wake a taker that is already parked
        Poll.until(Duration.ofSeconds(10), taker::getState, s -> s == Thread.State.TIMED_WAITING || s == Thread.State.WAITING);
        assertTrue(!taken.isDone());
        c.grant(100);
        assertEquals(100, taken.get(10, TimeUnit.SECONDS));
    }

    @Test
    void cancelWakesAWaiterAndEveryLaterTake() throws Exception {
        Credit c = new Credit(0);
        CompletableFuture<Throwable> failed = CompletableFuture.supplyAsync(() -> {
            try {
                c.take(1, LONG);
                return null;
            } catch (Credit.Cancelled e) {
                return e;
            }
        });
        c.cancel();
        assertTrue(failed.get(10, TimeUnit.SECONDS) instanceof Credit.Cancelled);
        c.grant(5);
        assertThrows(Credit.Cancelled.class, () -> c.take(1, LONG));
    }

    @Test
    void readOnGrantsSaturateInsteadOfOverflowing() throws Exception {
        Credit c = new Credit(0);
        c.grant(Integer.MAX_VALUE);
        c.grant(Integer.MAX_VALUE);
        c.grant(Integer.MAX_VALUE);
        assertTrue(c.available() > Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, c.take(Integer.MAX_VALUE, LONG));
    }

    @Test
    void everyGrantedByteIsTakenOnceUnderRaces() throws Exception {
        Credit c = new Credit(0);
        long total = 2_000_000;
        AtomicLong took = new AtomicLong();
        Thread consumer = new Thread(() -> {
            try {
                while (took.get() < total) {
                    took.addAndGet(c.take(8184, LONG));
                }
            } catch (Credit.Cancelled e) {
                throw new IllegalStateException(e);
            }
        });
        consumer.start();
        for (long granted = 0; granted < total; granted += 1000) {
            c.grant(1000);
        }
        consumer.join(30_000);
        assertEquals(total, took.get());
        assertEquals(0, c.available());
    }
}
