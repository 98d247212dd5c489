package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read-ahead bytes of a chunked body and the hand-over of the container's callbacks, on their own. */
class PrefetchedInputTest {

    /** The client's stream after the read ahead: what is left of the body, ready at once. */
    private static final class Rest extends ServletInputStream {
        private final byte[] bytes;
        private int at;

        Rest(String text) {
            this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public boolean isFinished() {
            return at >= bytes.length;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener l) {
            throw new IllegalStateException("the prefetch holds the container's listener");
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] : -1;
        }
    }

    /** Counts what a body reader is told. */
    private static final class Counting implements ReadListener {
        final AtomicInteger available = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();

        @Override
        public void onDataAvailable() {
            available.incrementAndGet();
        }

        @Override
        public void onAllDataRead() {
            available.incrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            errors.incrementAndGet();
        }
    }

    private static byte[] readAll(ServletInputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[3];
        while (in.isReady()) {
            int n = in.read(chunk, 0, chunk.length);
            if (n < 0) {
                break;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void theBytesReadAheadComeFirstThenTheRestOfTheClientsBody() throws IOException {
        PrefetchedInput in = new PrefetchedInput("hello, ".getBytes(StandardCharsets.US_ASCII), new Rest("world"));
        assertFalse(in.isFinished());
        assertEquals("hello, world", new String(readAll(in), StandardCharsets.US_ASCII));
        assertTrue(in.isFinished());
        assertEquals(-1, in.read());
    }

    @Test
    void aWholeBodyEndsWithItsBytes() throws IOException {
        PrefetchedInput in = new PrefetchedInput(new byte[] {1, 2, 3, 4}, null);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, readAll(in));
        assertTrue(in.isFinished());
    }

    @Test
    void theReaderIsCalledAtOnceWhenItSetsItsListenerAndOnlyOneMayBeSet() {
        PrefetchedInput in = new PrefetchedInput(new byte[] {1}, null);
        Counting reader = new Counting();
        in.setReadListener(reader);
        assertEquals(1, reader.available.get());
        assertThrows(IllegalStateException.class, () -> in.setReadListener(new Counting()));
    }

    @Test
    void laterContainerCallbacksReachTheReader() throws IOException {
        PrefetchedInput in = new PrefetchedInput(new byte[] {1}, new Rest("x"));
        Counting reader = new Counting();
        in.dataAvailable(); // before the reader: nobody to tell, and the hand-over calls it anyway
        in.setReadListener(reader);
        in.dataAvailable();
        in.allDataRead();
        assertEquals(3, reader.available.get());
        in.error(new IOException("client gone"));
        assertEquals(1, reader.errors.get());
    }

    /** An error racing the reader's arrival is delivered exactly once, whichever comes first. */
    @Test
    void anErrorRacingTheHandOverIsDeliveredExactlyOnce() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            PrefetchedInput in = new PrefetchedInput(new byte[] {1}, new Rest("x"));
            Counting reader = new Counting();
            CyclicBarrier start = new CyclicBarrier(2);
            Thread container = new Thread(() -> {
                await(start);
                in.error(new IOException("bad chunk"));
            });
            container.start();
            await(start);
            in.setReadListener(reader);
            container.join();
            assertEquals(1, reader.errors.get(), "round " + i);
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
