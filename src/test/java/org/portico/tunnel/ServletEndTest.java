package org.portico.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.WebConnection;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Servlet API's end of a tunnel on scripted container streams. */
class ServletEndTest {

    /**
     * The upgraded output of Undertow (WildFly) in non-blocking mode: {@code write(b, off, len)} sends all of
     * {@code b}, whatever {@code off} and {@code len} say. Always ready.
     */
    private static final class WholeArrayOutput extends ServletOutputStream {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
        }

        @Override
        public void write(int b) {
            sent.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sent.write(b, 0, b.length);
        }
    }

    /** Input that has no bytes now, and whose end of stream the test may declare without a callback. */
    private static final class SilentInput extends ServletInputStream {
        volatile boolean finished;

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return false;
        }

        @Override
        public void setReadListener(ReadListener readListener) {
        }

        @Override
        public int read() {
            throw new IllegalStateException("not ready");
        }
    }

    private final WholeArrayOutput out = new WholeArrayOutput();
    private final SilentInput in = new SilentInput();
    private final AtomicInteger written = new AtomicInteger();

    private ServletEnd openEnd() {
        ServletEnd end = new ServletEnd();
        end.prepare(64, opened -> { });
        end.init(new WebConnection() {
            @Override
            public ServletInputStream getInputStream() {
                return in;
            }

            @Override
            public ServletOutputStream getOutputStream() {
                return out;
            }

            @Override
            public void close() {
            }
        });
        return end;
    }

    private final TunnelEnd.Writes writes = new TunnelEnd.Writes() {
        @Override
        public void written() {
            written.incrementAndGet();
        }

        @Override
        public void failed(Throwable cause) {
            throw new AssertionError(cause);
        }
    };

    @Test
    void onlyTheBufferedBytesReachTheClientWhereTheContainerSendsWholeArrays() {
        ServletEnd end = openEnd();
        byte[] readBuffer = "stale|fresh|stale bytes of an earlier read".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer bytes = ByteBuffer.wrap(readBuffer, 6, 5);

        end.write(bytes, writes);

        assertEquals("fresh", out.sent.toString(StandardCharsets.US_ASCII));
        assertFalse(bytes.hasRemaining());
        assertEquals(1, written.get());
    }

    @Test
    void aBufferFillingItsArrayGoesOutAsItIs() {
        ServletEnd end = openEnd();
        ByteBuffer first = ByteBuffer.wrap("whole".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer sliced = ByteBuffer.wrap("..tail".getBytes(StandardCharsets.US_ASCII), 2, 4).slice();

        end.write(first, writes);
        end.write(sliced, writes);

        assertEquals("wholetail", out.sent.toString(StandardCharsets.US_ASCII));
        assertTrue(!first.hasRemaining() && !sliced.hasRemaining());
        assertEquals(2, written.get());
    }

    @Test
    void anEndOfStreamTheContainerReportsWithoutACallbackEndsTheRead() {
        ServletEnd end = openEnd();
        // Undertow: a read off its I/O thread that met the end of stream sets it finished and calls nothing back
        in.finished = true;
        AtomicInteger ended = new AtomicInteger();

        end.read(new TunnelEnd.Reads() {
            @Override
            public void data(ByteBuffer bytes) {
                throw new AssertionError("no bytes were there");
            }

            @Override
            public void ended() {
                ended.incrementAndGet();
            }

            @Override
            public void failed(Throwable cause) {
                throw new AssertionError(cause);
            }
        });

        assertEquals(1, ended.get());
    }
}
