package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.proxy.ContainerOutput.pattern;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.portico.backend.BackendChannel;
import org.portico.proxy.ResponseBody.State;

/**
 * {@link ResponseBody} on its own, on a scripted container stream, one state transition at a time:
 * the one-shot write, streaming and flushing, draining and delivery, abandon, the client's failures, and
 * the backpressure (credit only for bytes the container finished writing).
 */
class ResponseBodyTest {

    private static final int CHUNK = BackendChannel.CHUNK;

    private final RecordingOutcome exchange = new RecordingOutcome();

    private ResponseBody body(ContainerOutput out, long expectedLength, boolean oneShot) {
        return new ResponseBody(exchange, out, exchange.announcedLength::set, expectedLength, oneShot);
    }

    // ------------------------------------------------------------------ transitions, one at a time

    @Test
    void aSmallBodyThatArrivesWholeGoesOutInOneWriteWithoutAWriteListener() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 5, true);
        b.start();
        assertEquals(State.AWAITING_CONTENT, b.state());
        b.consume(ByteBuffer.wrap(pattern(5, 1)));
        assertEquals(State.DELIVERED, b.state());
        assertArrayEquals(pattern(5, 1), out.sent());
        assertEquals(1, out.writes());
        assertNull(out.listener(), "no WriteListener, no dispatch");
        assertEquals(-1, exchange.announcedLength.get(), "the container frames the body it holds whole");
        assertEquals(1, exchange.delivered.get());
        b.streamEnd();
        assertEquals(1, exchange.delivered.get(), "delivered once");
    }

    @Test
    void aBodyWithoutContentIsDeliveredAtTheStreamEndWithoutAWrite() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 0, true);
        b.start();
        b.streamEnd();
        assertEquals(State.DELIVERED, b.state());
        assertEquals(0, out.writes());
        assertEquals(1, exchange.delivered.get());
    }

    @Test
    void aSmallBodyThatArrivesInPiecesStreamsWithItsContentLengthSet() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 10, true);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(10, 2), 0, 4));
        assertEquals(State.STREAMING, b.state(), "written and, the backend pausing, flushed");
        assertEquals(10, exchange.announcedLength.get(), "no longer one write into the buffer: the length is announced");
        assertSame(b, out.listener());
        assertEquals(1, out.flushes());
        b.consume(ByteBuffer.wrap(pattern(10, 2), 4, 6));
        assertEquals(State.DELIVERED, b.state(), "all announced bytes are here: delivered without waiting for the end");
        assertEquals(1, out.flushes(), "no flush for the last bytes: completing the response sends them");
        assertArrayEquals(pattern(10, 2), out.sent());
        assertEquals(1, exchange.delivered.get());
        assertNull(out.misuse(), out.misuse());
    }

    @Test
    void bytesWrittenStayUnflushedUntilTheContainerFinishedThemThenAreFlushed() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        assertEquals(State.STREAMING, b.state(), "a body of unknown length streams from the start");
        b.updateCapacity(exchange);
        b.consume(ByteBuffer.wrap(pattern(100, 3)));
        assertEquals(State.STREAMING_UNFLUSHED, b.state());
        assertTrue(out.hasPendingWrite());
        assertEquals(0, exchange.credit.get(), "no credit while the container still sends from the chunk");
        assertTrue(out.completePendingWrite());
        assertEquals(State.STREAMING, b.state(), "the backend has nothing more right now: flushed");
        assertEquals(1, out.flushes());
        assertEquals(100, exchange.credit.get(), "credit for exactly the bytes the container finished");
        assertArrayEquals(pattern(100, 3), out.sent());
        assertEquals(0, exchange.delivered.get());
    }

    @Test
    void creditEarnedBeforeHttpClientGaveItsChannelIsGrantedWhenItDoes() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(300, 4)));
        assertEquals(0, exchange.credit.get());
        b.updateCapacity(exchange);
        assertEquals(300, exchange.credit.get());
    }

    @Test
    void theStreamEndDrainsWhatIsQueuedAndThenDeliversOnce() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        byte[] all = pattern(3 * CHUNK + 7, 5);
        b.consume(ByteBuffer.wrap(all));
        b.streamEnd();
        assertEquals(State.DRAINING, b.state());
        int completed = 0;
        while (out.completePendingWrite()) {
            completed++;
        }
        assertEquals(4, completed, "one write per chunk");
        assertEquals(State.DELIVERED, b.state());
        assertArrayEquals(all, out.sent(), "every chunk intact although the next was queued while it was being sent");
        assertEquals(1, exchange.delivered.get());
        assertNull(out.misuse(), out.misuse());
    }

    @Test
    void anAbandonedBodyWritesNothingMoreAndSaysItHadNotFinished() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(10, 6)));
        assertFalse(b.abandon(), "the body had not finished");
        assertEquals(State.ABANDONED, b.state());
        ByteBuffer later = ByteBuffer.wrap(pattern(10, 7));
        b.consume(later);
        assertFalse(later.hasRemaining(), "later content is taken and dropped");
        b.streamEnd();
        assertEquals(State.ABANDONED, b.state());
        assertEquals(1, out.writes());
        assertEquals(0, exchange.delivered.get());
        assertTrue(b.abandon(), "asked again: it has finished");
    }

    @Test
    void abandoningADeliveredBodySaysItHadFinishedAndLeavesItDelivered() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 3, true);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(3, 8)));
        assertTrue(b.abandon());
        assertEquals(State.DELIVERED, b.state());
    }

    @Test
    void aWriteThatFailsIsTheClientsFailureAndEndsTheBody() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, -1, false);
        b.start();
        out.failNextWrite(new IOException("broken pipe"));
        ClientSideException e = assertThrows(ClientSideException.class, () -> b.consume(ByteBuffer.wrap(pattern(10, 9))));
        assertFalse(e.whileReading());
        assertEquals("broken pipe", e.getCause().getMessage());
        assertEquals(State.CLIENT_FAILED, b.state());
        assertTrue(b.abandon(), "a failed body has finished: nothing is left to stop");
        assertEquals(0, exchange.delivered.get());
    }

    @Test
    void aOneShotWriteThatFailsIsTheClientsFailureToo() {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, 4, true);
        b.start();
        out.failNextWrite(new IOException("reset"));
        assertThrows(ClientSideException.class, () -> b.consume(ByteBuffer.wrap(pattern(4, 1))));
        assertEquals(State.CLIENT_FAILED, b.state());
        assertEquals(0, exchange.delivered.get());
    }

    @Test
    void theContainersErrorEndsTheBodyAndReachesTheExchange() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(10, 1)));
        out.clientGone(new IOException("gone"));
        assertEquals(State.CLIENT_FAILED, b.state());
        assertEquals(1, exchange.clientFailures.size());
        assertFalse(exchange.clientFailures.get(0).whileReading());
        b.streamEnd();
        assertEquals(State.CLIENT_FAILED, b.state(), "final states stay final");
        assertEquals(0, exchange.delivered.get());
    }

    @Test
    void aFinalStateIsNeverLeftNotEvenByALateContainerError() throws IOException {
        ContainerOutput out = new ContainerOutput(true);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.consume(ByteBuffer.wrap(pattern(10, 1)));
        b.streamEnd();
        assertEquals(State.DELIVERED, b.state());
        out.clientGone(new IOException("late"));
        assertEquals(State.DELIVERED, b.state());
        assertEquals(1, exchange.delivered.get());
    }

    @Test
    void afterTheClientFailedTheBackendIsGrantedRoomToReadOnAndFindTheExchangeAborted() throws IOException {
        ContainerOutput out = new ContainerOutput(false);
        ResponseBody b = body(out, -1, false);
        b.start();
        b.updateCapacity(exchange);
        b.unblockBackend();
        assertEquals(Integer.MAX_VALUE, exchange.credit.get());
    }
}
