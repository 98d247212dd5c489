package org.portico.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * httpd's prefetch of a chunked request body (spec section 12 item 20): up to {@value #LIMIT} bytes are read
 * before the request goes out; a body that ends within them goes to the backend with a Content-Length (many
 * application servers refuse chunked request bodies), a longer one goes on chunked, these bytes first. It
 * runs only when no {@code Expect: 100-continue} is forwarded, since reading would make the container send
 * the client its 100 before any backend asked for the body, as httpd skips it then too.
 *
 * <p>The container's ReadListener is this object for the whole request (a request takes one listener): once
 * the prefetch is done, {@link PrefetchedInput} hands its callbacks on to the body's reader. Thread-safety:
 * the container calls the listener methods one at a time; {@link #stream()} and the hand-over may run on
 * any thread, after {@code done} was called.
 */
final class BodyPrefetch implements ReadListener {

    /** httpd's MAX_MEM_SPOOL. */
    static final int LIMIT = 16 * 1024;

    private final ServletInputStream in;
    private final Runnable done;
    private final Consumer<Throwable> failed;
    /** One byte more than the limit: reading it tells a body of exactly LIMIT bytes from a longer one. */
    private final byte[] bytes = new byte[LIMIT + 1];
    private int length;
    private boolean eof;
    private boolean finished;
    private volatile PrefetchedInput handedTo;

    BodyPrefetch(ServletInputStream in, Runnable done, Consumer<Throwable> failed) {
        this.in = in;
        this.done = done;
        this.failed = failed;
    }

    /** Starts reading; {@code done} or {@code failed} is called once, on a container thread or this one. */
    void start() {
        in.setReadListener(this);
    }

    @Override
    public void onDataAvailable() throws IOException {
        PrefetchedInput to = handedTo;
        if (to != null) {
            to.dataAvailable();
            return;
        }
        readAvailable();
    }

    @Override
    public void onAllDataRead() throws IOException {
        PrefetchedInput to = handedTo;
        if (to != null) {
            to.allDataRead();
            return;
        }
        readAvailable();
    }

    @Override
    public void onError(Throwable t) {
        PrefetchedInput to = handedTo;
        if (to != null) {
            to.error(t);
        } else if (!finished) {
            finished = true;
            failed.accept(t);
        }
    }

    private void readAvailable() {
        if (finished) {
            return;
        }
        try {
            while (!eof && length < bytes.length && in.isReady()) {
                int n = in.read(bytes, length, bytes.length - length);
                if (n < 0) {
                    eof = true;
                } else {
                    length += n;
                }
            }
            if (!eof && in.isFinished()) {
                eof = true;
            }
        } catch (IOException | RuntimeException e) {
            finished = true;
            failed.accept(e);
            return;
        }
        if (eof || length == bytes.length) {
            // otherwise isReady() said no, and the container calls back when more arrives
            finished = true;
            done.run();
        }
    }

    /** Whether the whole body arrived within the limit: it goes with a Content-Length of {@link #length()}. */
    boolean whole() {
        return eof && length <= LIMIT;
    }

    long length() {
        return length;
    }

    /**
     * The body to send: for a whole one a fresh stream over its bytes at each call (so a failed-over attempt
     * sends it again); for a longer one the single stream of these bytes and then the rest of the client's.
     */
    ServletInputStream stream() {
        if (whole()) {
            return new PrefetchedInput(bytes, length, null);
        }
        PrefetchedInput to = handedTo;
        if (to == null) {
            to = new PrefetchedInput(bytes, length, in);
            handedTo = to;
        }
        return to;
    }
}
