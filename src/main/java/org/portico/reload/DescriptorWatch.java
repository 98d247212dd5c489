package org.portico.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the descriptor file by polling its content on a daemon thread: when the content differs from what was
 * last acted on and stayed the same for one interval (an editor or a deployment tool has finished writing), the
 * change is handed on once. Polling rather than a {@code WatchService}: it sees a file replaced by a rename, a
 * bind mount and a network file system alike. A file that cannot be read (being replaced) is looked at again at
 * the next tick. {@link #close} stops the thread. Thread-safe.
 */
final class DescriptorWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DescriptorWatch.class);

    private final Path file;
    private final Runnable onChange;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portico-descriptor-watch");
        t.setDaemon(true);
        return t;
    });
    /** The content last acted on (or present at start). Only the poller thread touches these two. */
    private byte[] actedOn;
    /** A new content seen at the previous tick, waiting to be seen unchanged once more. */
    private byte[] pending;

    DescriptorWatch(Path file, Runnable onChange) {
        this.file = file;
        this.onChange = onChange;
        this.actedOn = digest(file);
    }

    void start(Duration interval) {
        long ms = interval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            byte[] now = digest(file);
            if (now == null || Arrays.equals(now, actedOn)) {
                pending = null;
                return;
            }
            if (!Arrays.equals(now, pending)) {
                pending = now; // changed since the last tick: wait until it stays the same for one interval
                return;
            }
            actedOn = now;
            pending = null;
            onChange.run();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: keep watching
            LOG.error("descriptor watch of {}: {}", file, e.toString(), e);
        }
    }

    /** The content's SHA-256, or null when the file cannot be read now. */
    private static byte[] digest(Path file) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
