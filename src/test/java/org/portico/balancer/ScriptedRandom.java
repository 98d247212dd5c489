package org.portico.balancer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** A RandomGenerator that answers bounded draws with values a test chose, checking they are in bounds. */
final class ScriptedRandom implements RandomGenerator {

    private final Deque<Long> values = new ArrayDeque<>();
    private long lastBound = -1;

    ScriptedRandom(long... draws) {
        add(draws);
    }

    ScriptedRandom add(long... draws) {
        for (long d : draws) {
            values.add(d);
        }
        return this;
    }

    /** The exclusive bound of the last draw. */
    long lastBound() {
        return lastBound;
    }

    @Override
    public long nextLong(long bound) {
        long v = next();
        if (v < 0 || v >= bound) {
            throw new AssertionError("scripted draw " + v + " is outside [0, " + bound + ")");
        }
        lastBound = bound;
        return v;
    }

    @Override
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    @Override
    public long nextLong() {
        return next();
    }

    private long next() {
        if (values.isEmpty()) {
            throw new AssertionError("no scripted draw left");
        }
        return values.poll();
    }
}
