package org.portico.backend;

import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.util.Timeout;
import org.portico.config.WorkerParams;

/** How a worker's HTTP/1.1 connections read and write, whichever I/O carries them: one place for every channel. */
public final class Http1Settings {

    /**
     * Backend reads (and writes) go through buffers of at least this size: with HttpClient's default
     * 8 KiB, a 1 MiB body takes 128 reads and costs twice the CPU (bench/profile.sh /1m).
     */
    public static final int MIN_BUFFER = BackendChannel.CHUNK;

    /**
     * Header fields a backend response may carry. httpd reads them without counting (each line up to
     * {@code responsefieldsize}) and passed 10,000 here; HttpClient stops at 100 by default, so Portico
     * answered 502 where httpd passed the response. This bound only keeps a backend that sends header
     * lines without end from filling the heap; 0 or less: no bound, as httpd.
     */
    public static final int MAX_RESPONSE_HEADERS = Integer.getInteger("portico.max-response-headers", 10_000);

    private Http1Settings() {
    }

    /** The read buffer of a worker's connections. */
    public static int bufferSize(WorkerParams p) {
        return Math.max(MIN_BUFFER, p.ioBufferSize());
    }

    /**
     * The HTTP/1.1 codec settings of a worker: its response field size, buffer and read-ahead window, and its
     * ping as the wait for a 100 (HttpClient's own default of 3 s without one).
     */
    public static Http1Config of(int maxLineLength, int bufferSize, java.time.Duration ping) {
        return Http1Config.custom()
                .setMaxLineLength(maxLineLength)
                .setMaxHeaderCount(MAX_RESPONSE_HEADERS)
                .setBufferSize(bufferSize)
                .setInitialWindowSize(BackendChannel.WINDOW)
                .setWaitForContinueTimeout(ping != null
                        ? Timeout.of(ping.toMillis(), TimeUnit.MILLISECONDS) : Timeout.ofSeconds(3))
                .build();
    }
}
