package org.portico.backend.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Poll;

/** The event-mask discipline of {@link EndPointSession} on its own: HttpCore's duplexer relies on it as on its reactor's. */
class EndPointSessionTest {

    /**
     * HttpCore's duplexer, holding the session lock, sees no output requested since it produced and clears
     * {@code OP_WRITE}; a request body's read callback asks for output on another thread at that moment. The request
     * must land after the clearing, or the body waits for a wake-up that never comes (the 1 GiB upload that stalled
     * until the backend's idle timeout).
     */
    @Test
    void anOutputRequestMadeWhileTheDuplexerClearsWriteInterestSurvivesTheClearing() throws Exception {
        AtomicInteger writesWanted = new AtomicInteger();
        EndPointSession session = new EndPointSession(new ByteArrayEndPoint(), null, new EndPointSession.Events() {
            @Override
            public void writeWanted() {
                writesWanted.incrementAndGet();
            }

            @Override
            public void readWanted() {
            }

            @Override
            public void flushed() {
            }

            @Override
            public void writeFailed(Throwable cause) {
            }
        });
        session.getLock().lock();
        Thread callback = new Thread(() -> session.setEvent(SelectionKey.OP_WRITE), "read-callback");
        try {
            callback.start();
            Poll.until(Duration.ofSeconds(30), callback::getState, s -> s == Thread.State.WAITING);
            session.clearEvent(SelectionKey.OP_WRITE);
        } finally {
            session.getLock().unlock();
        }
        callback.join(30_000);
        assertNotEquals(0, session.getEventMask() & SelectionKey.OP_WRITE, "the request for output was cleared away");
        assertEquals(1, writesWanted.get(), "the connection was told once that output is wanted");
    }
}
