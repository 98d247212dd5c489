package org.portico.tunnel;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Moves bytes one way through a tunnel, from one {@link TunnelEnd} to the other, with backpressure:
 * one buffer in flight, the next read asked for only once the write of the last one completed. Callbacks
 * that arrive inside the call that asked for them (an end that completes at once) are looped over,
 * never recursed into, so a long run of immediate completions cannot overflow the stack. Thread-safe:
 * callbacks may come on any thread.
 */
final class Pump implements TunnelEnd.Reads, TunnelEnd.Writes {

    /** Where the pump is; every change is a compare-and-set, so that an end that arrives late changes nothing. */
    enum State {
        /** A read is to be asked for. */
        READ,
        /** A read is outstanding. */
        READING,
        /** Bytes are to be written. */
        WRITE,
        /** A write is outstanding. */
        WRITING,
        /** The source ended or an end failed; nothing more happens. */
        DONE
    }

    private final TunnelEnd from;
    private final TunnelEnd to;
    private final IntConsumer moved;
    private final Consumer<Throwable> done;
    private final AtomicReference<State> state = new AtomicReference<>(State.READ);
    /** Work in progress: the loop runs on one thread at a time, which picks up what others asked for meanwhile. */
    private final AtomicInteger wip = new AtomicInteger();
    private volatile ByteBuffer pending;

    /**
     * @param moved hears the size of each buffer written (activity, byte counts)
     * @param done called once when the pump stops: with null when the source ended, else with the failure
     */
    Pump(TunnelEnd from, TunnelEnd to, IntConsumer moved, Consumer<Throwable> done) {
        this.from = from;
        this.to = to;
        this.moved = moved;
        this.done = done;
    }

    void start() {
        run();
    }

    State state() {
        return state.get();
    }

    /** Stops the pump without a callback to {@code done}; outstanding operations are ignored when they end. */
    void stop() {
        state.set(State.DONE);
    }

    private void run() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            step();
        } while (wip.decrementAndGet() != 0);
    }

    private void step() {
        if (state.compareAndSet(State.READ, State.READING)) {
            from.read(this);
        } else if (state.compareAndSet(State.WRITE, State.WRITING)) {
            to.write(pending, this);
        }
    }

    @Override
    public void data(ByteBuffer bytes) {
        pending = bytes;
        if (state.compareAndSet(State.READING, State.WRITE)) {
            run();
        }
    }

    @Override
    public void ended() {
        finish(null);
    }

    @Override
    public void written() {
        ByteBuffer b = pending;
        if (state.compareAndSet(State.WRITING, State.READ)) {
            moved.accept(b == null ? 0 : b.limit());
            run();
        }
    }

    @Override
    public void failed(Throwable cause) {
        finish(cause == null ? new IllegalStateException("failed without a cause") : cause);
    }

    private void finish(Throwable cause) {
        if (state.getAndSet(State.DONE) != State.DONE) {
            done.accept(cause);
        }
    }
}
