package org.portico.balancer;

import java.time.Duration;

/**
 * A worker's response time as a peak-sensitive, time-decayed moving average (the "peak EWMA" of
 * Finagle and Linkerd), for {@link ByLatency}.
 *
 * <p>A sample slower than the current estimate replaces it at once, so a member that turns slow is
 * avoided from its first slow answer. A faster sample is blended in with a weight that depends on the
 * time since the previous one, not on the request rate. Between samples the estimate decays towards
 * zero with the same time constant: a member that was avoided because it was slow looks cheap again
 * after a while, receives a request, and its next sample decides whether it stays in favour. That is
 * what keeps a slow member from being starved forever.
 *
 * <p>Thread-safe: one short lock per instance (one per worker), never shared between workers.
 */
public final class PeakEwma {

    /** Finagle's default decay time. */
    public static final Duration DEFAULT_DECAY = Duration.ofSeconds(10);

    private final double decayMillis;
    private double valueNanos;
    private long stampMillis;
    private long samples;

    public PeakEwma(Duration decay) {
        if (decay == null || decay.isNegative() || decay.isZero()) {
            throw new IllegalArgumentException("decay must be a positive duration, not " + decay);
        }
        this.decayMillis = decay.toMillis() > 0 ? decay.toMillis() : 1;
    }

    /**
     * Records one response time.
     *
     * @param elapsedNanos how long the backend took (negative values count as zero)
     * @param nowMillis the time of the sample, on the clock the balancer's selections use
     */
    public synchronized void record(long elapsedNanos, long nowMillis) {
        double sample = Math.max(0, elapsedNanos);
        if (samples == 0) {
            valueNanos = sample;
        } else {
            double w = weight(nowMillis);
            double decayed = valueNanos * w;
            valueNanos = sample > decayed ? sample : decayed + sample * (1 - w);
        }
        stampMillis = Math.max(stampMillis, nowMillis);
        samples++;
    }

    /** The estimate at {@code nowMillis}, in nanoseconds: decayed towards zero since the last sample. */
    public synchronized double estimateNanos(long nowMillis) {
        return samples == 0 ? 0 : valueNanos * weight(nowMillis);
    }

    /** How many samples have been recorded since creation or the last {@link #reset}. */
    public synchronized long samples() {
        return samples;
    }

    public synchronized void reset() {
        valueNanos = 0;
        stampMillis = 0;
        samples = 0;
    }

    /** exp(-elapsed/decay); 1 for a clock that went backwards. */
    private double weight(long nowMillis) {
        long elapsed = nowMillis - stampMillis;
        return elapsed <= 0 ? 1 : Math.exp(-elapsed / decayMillis);
    }
}
