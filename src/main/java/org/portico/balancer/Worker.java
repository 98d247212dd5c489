package org.portico.balancer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;

/**
 * A backend worker at run time: its configuration plus the live state httpd keeps in shared memory
 * (status flags, error time, elected, busy, lbstatus, bytes each way) and, beyond httpd, a response
 * time estimate for {@link ByLatency}.
 *
 * <p>Thread-safe: every field is volatile, atomic or final, so any thread may read any value at any
 * time and never sees a torn or stale one; counters are lock-free so the hot path takes no lock. Each
 * getter reads one value: several getters called one after the other may straddle a change (use
 * {@link Balancer#snapshot()} for lbstatus values that belong together).
 *
 * <p>Who changes what: the balancer's selection increments {@code elected}, updates {@code lbstatus} and
 * runs the retry check under its lock, and a manager edit ({@link Balancer#apply}) changes the
 * configuration, the status flags and {@code lbstatus} under the same lock, so a selection sees a whole
 * edit or none of it. {@code lbstatus} is written only under that lock. Outside it the proxy calls
 * {@link #requestStarted()} once a selection is used and {@link #requestEnded()} when the exchange is
 * over (the only place {@code busy} changes), {@link #markError} on a failure, reports bytes with
 * {@link #addBytesTransferred}/{@link #addBytesRead} and response times with {@link #recordResponseTime}.
 */
public final class Worker {

    /** The status bits that make a worker unusable (D, S, E, C). */
    private static final int UNUSABLE;

    static {
        int mask = 0;
        for (StatusFlag f : StatusFlag.values()) {
            if (f.makesUnusable()) {
                mask |= f.bit();
            }
        }
        UNUSABLE = mask;
    }

    private volatile WorkerConfig config;
    private final AtomicInteger status;
    private volatile long errorTimeMillis;
    private final LongAdder elected = new LongAdder();
    private final AtomicInteger busy = new AtomicInteger();
    private final LongAdder transferred = new LongAdder();
    private final LongAdder read = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong retries = new AtomicLong();
    private final PeakEwma responseTime;
    /**
     * byrequests/bybusyness accumulator. Written only under the balancer's selection lock, one writer at
     * a time, so a plain read and a release write suffice there; read from anywhere.
     */
    private final AtomicLong lbstatus = new AtomicLong();

    public Worker(WorkerConfig config) {
        this(config, PeakEwma.DEFAULT_DECAY);
    }

    /** @param responseTimeDecay the time constant of the response time estimate ({@link PeakEwma}) */
    public Worker(WorkerConfig config, Duration responseTimeDecay) {
        this.config = config;
        this.status = new AtomicInteger(config.params().status());
        this.responseTime = new PeakEwma(responseTimeDecay);
    }

    public WorkerConfig config() {
        return config;
    }

    /**
     * Swaps in a new configuration for the same URL (the manager's loadfactor, lbset, route, redirect
     * and health-check edits); the live state stays. New requests see it at once. Balancer members are
     * changed through {@link Balancer#apply}, which does it under the balancer's lock, together with the
     * rest of the edit, and keeps the lbmethod's accounting right.
     *
     * @throws IllegalArgumentException when {@code newConfig} names another URL
     */
    public void reconfigure(WorkerConfig newConfig) {
        if (!newConfig.name().equalsIgnoreCase(config.name())) {
            throw new IllegalArgumentException("cannot turn worker " + config.name() + " into " + newConfig.name());
        }
        this.config = newConfig;
    }

    public String name() {
        return config.name();
    }

    public boolean has(StatusFlag flag) {
        return (status.get() & flag.bit()) != 0;
    }

    public void set(StatusFlag flag, boolean on) {
        status.updateAndGet(s -> on ? s | flag.bit() : s & ~flag.bit());
    }

    /** httpd's PROXY_WORKER_IS_USABLE: none of D, S, E, C is set. */
    public boolean usable() {
        return (status.get() & UNUSABLE) == 0;
    }

    /**
     * A failed request puts a worker into error state, unless it ignores errors (I). Called outside the
     * balancer's lock; the error time is written before E is set, so whoever sees E sees its time.
     * Callers pass the time so that tests and the retry rule agree on one clock.
     */
    public void markError(long nowMillis) {
        errors.increment();
        if (!has(StatusFlag.IGNORE_ERRORS)) {
            errorTimeMillis = nowMillis;
            set(StatusFlag.IN_ERROR, true);
        }
    }

    /**
     * httpd's ap_proxy_retry_worker: clears E when the worker ignores errors or its retry time has
     * passed; a stopped worker is never retried.
     *
     * @return whether the worker is usable afterwards
     */
    public boolean retryIfDue(long nowMillis) {
        if (has(StatusFlag.IN_ERROR) && !has(StatusFlag.STOPPED)) {
            if (has(StatusFlag.IGNORE_ERRORS) || nowMillis > errorTimeMillis + config.params().retry().toMillis()) {
                set(StatusFlag.IN_ERROR, false);
                retries.incrementAndGet();
            }
        }
        return usable();
    }

    /**
     * httpd's force_recovery for one worker: clears E whatever the retry time, counting a retry.
     * The balancer calls it when every member is in error and {@code forcerecovery} is on.
     */
    void forceRecovery() {
        retries.incrementAndGet();
        set(StatusFlag.IN_ERROR, false);
    }

    public long errorTimeMillis() {
        return errorTimeMillis;
    }

    /** Counts one election of this worker (httpd's {@code elected}): a selection chose it. */
    public void countElection() {
        elected.increment();
    }

    public long electedCount() {
        return elected.sum();
    }

    public int busy() {
        return busy.get();
    }

    /** A request starts on this worker; pair with {@link #requestEnded()}. */
    public void requestStarted() {
        busy.incrementAndGet();
    }

    public void requestEnded() {
        busy.decrementAndGet();
    }

    public void addBytesTransferred(long bytes) {
        transferred.add(bytes);
    }

    public void addBytesRead(long bytes) {
        read.add(bytes);
    }

    /** bytraffic's reset: forgets the bytes counted each way. */
    public void resetTraffic() {
        transferred.reset();
        read.reset();
    }

    /**
     * Records how long the backend took to answer one request on this worker (the proxy's choice of
     * measure; time to the response head is what {@link ByLatency} is tuned for).
     *
     * @param elapsedNanos the response time
     * @param nowMillis when the sample was taken, on the clock passed to the balancer's selections
     */
    public void recordResponseTime(long elapsedNanos, long nowMillis) {
        responseTime.record(elapsedNanos, nowMillis);
    }

    /** This worker's response time estimate (read by {@link ByLatency}). */
    public PeakEwma responseTime() {
        return responseTime;
    }

    public long bytesTransferred() {
        return transferred.sum();
    }

    public long bytesRead() {
        return read.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long retries() {
        return retries.get();
    }

    /** The lbmethod's accumulator (httpd's lbstatus): safe to read from any thread. */
    public long lbstatus() {
        return lbstatus.get();
    }

    /** Under the balancer's selection lock: sets lbstatus (a reset, or httpd's recalc_factors). */
    void lbstatus(long value) {
        lbstatus.setRelease(value);
    }

    /** Under the balancer's selection lock: adds {@code delta} to lbstatus (the lock makes it atomic). */
    void addLbstatus(long delta) {
        lbstatus.setRelease(lbstatus.getPlain() + delta);
    }

    /** httpd's status string, e.g. {@code Init Ok } or {@code Init Stby Ok }. */
    public String statusString() {
        StringBuilder sb = new StringBuilder("Init ");
        for (StatusFlag f : StatusFlag.values()) {
            if (has(f)) {
                sb.append(f.label()).append(' ');
            }
        }
        if (usable()) {
            sb.append("Ok ");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name();
    }
}
