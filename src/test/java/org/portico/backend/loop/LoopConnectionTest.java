package org.portico.backend.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.SelectionKey;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexerFactory;
import org.apache.hc.core5.http.protocol.DefaultHttpProcessor;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.api.Test;

/** The read hand-over of {@link LoopConnection} on its own, between Jetty's selector and HttpCore's duplexer. */
class LoopConnectionTest {

    private static final ClientHttp1StreamDuplexerFactory DUPLEXERS = new ClientHttp1StreamDuplexerFactory(
            new DefaultHttpProcessor(new HttpRequestInterceptor[0]), Http1Config.DEFAULT, null, null, null, null, null,
            null, null);

    /**
     * The selector finds a backend's bytes while the duplexer wants none (its window is used up), and at that moment a
     * client write callback gives the window back ({@code setEvent(OP_READ)}). One of the two must end up reading:
     * bytes left in the socket with read interest set and no one to read them hold a download until the idle timeout.
     * Both windows are a few instructions wide, so the race is run many times with random offsets; without the second
     * look in {@code onFillable} 5 and 212 rounds of 40,000 lost their wake-up in two runs.
     */
    @Test
    void bytesFoundWhileAnotherThreadGivesTheReadWindowBackAreReadByOneOfThem() throws Exception {
        int rounds = 40_000;
        AtomicReference<EndPointSession> current = new AtomicReference<>();
        AtomicInteger go = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Thread credit = new Thread(() -> {
            for (int i = 1; i <= rounds; i++) {
                while (go.get() != i) {
                    Thread.onSpinWait();
                }
                spin(ThreadLocalRandom.current().nextInt(40));
                current.get().setEvent(SelectionKey.OP_READ);
                done.set(i);
            }
        }, "client-write-callback");
        credit.setDaemon(true);
        credit.start();
        int lost = 0;
        for (int i = 1; i <= rounds; i++) {
            ByteArrayEndPoint endPoint = new ByteArrayEndPoint();
            AtomicInteger handedToExecutor = new AtomicInteger();
            LoopConnection c = new LoopConnection(endPoint, task -> handedToExecutor.incrementAndGet(), null, DUPLEXERS,
                    closed -> { });
            c.session().clearEvent(SelectionKey.OP_READ);
            current.set(c.session());
            go.set(i);
            spin(ThreadLocalRandom.current().nextInt(40));
            c.onFillable();
            while (done.get() != i) {
                Thread.onSpinWait();
            }
            if (handedToExecutor.get() == 0 && !endPoint.isFillInterested()) {
                lost++;
            }
        }
        assertEquals(0, lost, "rounds of " + rounds + " where the bytes waited with read interest set and no reader");
    }

    private static void spin(int n) {
        for (int k = 0; k < n; k++) {
            Thread.onSpinWait();
        }
    }
}
