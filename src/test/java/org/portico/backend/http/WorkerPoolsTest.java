package org.portico.backend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.BasicFuture;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Poll;

/**
 * The lease deadline on its own, against a pool the test drives: every order in which the deadline,
 * the pool's answer and a cancel can come is forced, none is waited for by chance.
 */
class WorkerPoolsTest {

    private static final HttpHost TARGET = new HttpHost("http", "127.0.0.1", 8080);
    private static final HttpRoute ROUTE = new HttpRoute(TARGET);

    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1);
    private final ScriptedPool pool = new ScriptedPool();
    private final WorkerPools pools = new WorkerPools(deadlines);

    WorkerPoolsTest() {
        deadlines.setRemoveOnCancelPolicy(true);
        pools.add(TARGET, pool);
    }

    @AfterEach
    void stop() {
        deadlines.shutdownNow();
    }

    @Test
    void aLeaseStillWaitingAtItsDeadlineFailsWithATimeoutAndLeavesThePoolsQueue() throws Exception {
        Answer answer = new Answer();
        long start = System.nanoTime();
        pools.lease("1", ROUTE, null, Timeout.ofMilliseconds(200), answer);

        Exception failure = answer.failure.get(10, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(TimeoutException.class, failure, failure::toString);
        assertTrue(failure.getMessage().contains("acquire=200 ms"), failure::getMessage);
        assertTrue(tookMillis >= 190, "failed before its deadline: " + tookMillis + " ms");
        // the client hears of the timeout first; the pool's lease is withdrawn right after, on the timer's thread
        Poll.until(Duration.ofSeconds(10), () -> pool.lastLease().isCancelled(), cancelled -> cancelled);
    }

    @Test
    void aConnectionTheTimerRacedGoesBackToThePoolUnused() throws Exception {
        pool.cancelRefused = true; // the pool had already picked the connection when the deadline came
        Answer answer = new Answer();
        pools.lease("1", ROUTE, null, Timeout.ofMilliseconds(50), answer);
        assertInstanceOf(TimeoutException.class, answer.failure.get(10, TimeUnit.SECONDS));

        Endpoint late = new Endpoint();
        pool.lastLease().completed(late);

        assertEquals(List.of(late), pool.released, "the connection handed over after the deadline is not leaked");
        assertFalse(answer.endpoint.isDone(), "the failed request must not get a connection as well");
    }

    @Test
    void aConnectionFreeAtOnceSetsNoTimer() throws Exception {
        pool.answerAtOnce = new Endpoint();
        Answer answer = new Answer();
        Future<AsyncConnectionEndpoint> lease = pools.lease("1", ROUTE, null, Timeout.ofSeconds(30), answer);

        assertSame(pool.answerAtOnce, lease.get(1, TimeUnit.SECONDS));
        assertTrue(deadlines.getQueue().isEmpty(), "a timer was set for a lease that never waited");
    }

    @Test
    void aConnectionFreedBeforeTheDeadlineStopsTheTimer() throws Exception {
        Answer answer = new Answer();
        pools.lease("1", ROUTE, null, Timeout.ofSeconds(30), answer);
        assertEquals(1, deadlines.getQueue().size());

        Endpoint freed = new Endpoint();
        pool.lastLease().completed(freed);

        assertSame(freed, answer.endpoint.get(1, TimeUnit.SECONDS));
        assertTrue(deadlines.getQueue().isEmpty(), "the timer outlived its lease");
        pools.release(freed, null, TimeValue.NEG_ONE_MILLISECOND);
        assertEquals(List.of(freed), pool.released, "released through the pool that leased it");
    }

    @Test
    void aCancelledLeaseStopsItsTimerAndLeavesThePoolsQueue() {
        Answer answer = new Answer();
        Future<AsyncConnectionEndpoint> lease = pools.lease("1", ROUTE, null, Timeout.ofSeconds(30), answer);

        lease.cancel(true);

        assertTrue(pool.lastLease().isCancelled());
        assertTrue(deadlines.getQueue().isEmpty(), "the timer outlived its lease");
        assertThrows(CancellationException.class, () -> answer.endpoint.getNow(null));
    }

    @Test
    void aLeaseWithoutDeadlineWaitsForThePool() {
        Answer answer = new Answer();
        pools.lease("1", ROUTE, null, Timeout.DISABLED, answer);
        assertTrue(deadlines.getQueue().isEmpty());
    }

    /** What the HttpClient side is told. */
    private static final class Answer implements FutureCallback<AsyncConnectionEndpoint> {
        final CompletableFuture<AsyncConnectionEndpoint> endpoint = new CompletableFuture<>();
        final CompletableFuture<Exception> failure = new CompletableFuture<>();

        @Override
        public void completed(AsyncConnectionEndpoint result) {
            endpoint.complete(result);
        }

        @Override
        public void failed(Exception ex) {
            failure.complete(ex);
        }

        @Override
        public void cancelled() {
            endpoint.cancel(false);
        }
    }

    /** A worker's pool whose answers the test gives. */
    private static final class ScriptedPool implements AsyncClientConnectionManager {
        final List<AsyncConnectionEndpoint> released = new CopyOnWriteArrayList<>();
        final List<BasicFuture<AsyncConnectionEndpoint>> leases = new CopyOnWriteArrayList<>();
        volatile AsyncConnectionEndpoint answerAtOnce;
        volatile boolean cancelRefused;

        BasicFuture<AsyncConnectionEndpoint> lastLease() {
            return leases.get(leases.size() - 1);
        }

        @Override
        public Future<AsyncConnectionEndpoint> lease(String id, HttpRoute route, Object state, Timeout requestTimeout,
                                                     FutureCallback<AsyncConnectionEndpoint> callback) {
            BasicFuture<AsyncConnectionEndpoint> lease = new BasicFuture<>(callback) {
                @Override
                public boolean cancel(boolean mayInterruptIfRunning) {
                    return !cancelRefused && super.cancel(mayInterruptIfRunning);
                }
            };
            leases.add(lease);
            if (answerAtOnce != null) {
                lease.completed(answerAtOnce);
            }
            return lease;
        }

        @Override
        public void release(AsyncConnectionEndpoint endpoint, Object newState, TimeValue validDuration) {
            released.add(endpoint);
        }

        @Override
        public Future<AsyncConnectionEndpoint> connect(AsyncConnectionEndpoint endpoint, ConnectionInitiator initiator,
                                                       Timeout connectTimeout, Object attachment, HttpContext context,
                                                       FutureCallback<AsyncConnectionEndpoint> callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close(CloseMode closeMode) {
        }

        @Override
        public void close() {
        }
    }

    private static final class Endpoint extends AsyncConnectionEndpoint {
        @Override
        public void execute(String id, AsyncClientExchangeHandler exchangeHandler,
                            HandlerFactory<AsyncPushConsumer> pushHandlerFactory, HttpContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void setSocketTimeout(Timeout timeout) {
        }

        @Override
        public void close(CloseMode closeMode) {
        }
    }
}
