package org.portico.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.atomic.LongAdder;
import org.portico.proxy.ExchangeListener;

/**
 * What the exchanges of one member added up to: how many ended, how many under each {@link ErrorKind},
 * and their durations (the Prometheus client's histogram data point). Thread-safe and lock-free: every
 * exchange end of the member records here.
 */
final class MemberTraffic {

    private final LongAdder requests = new LongAdder();
    private final LongAdder[] errors = new LongAdder[ErrorKind.LABELS.size()];
    private final DistributionDataPoint duration;

    MemberTraffic(DistributionDataPoint duration) {
        this.duration = duration;
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
    }

    void record(ExchangeListener.End end) {
        requests.increment();
        int kind = ErrorKind.of(end);
        if (kind >= 0) {
            errors[kind].increment();
        }
        duration.observe(end.elapsedNanos() / 1e9);
    }

    long requests() {
        return requests.sum();
    }

    /** The errors counted under the kind at {@code index} of {@link ErrorKind#LABELS}. */
    long errors(int index) {
        return errors[index].sum();
    }

    long errorsTotal() {
        long n = 0;
        for (LongAdder a : errors) {
            n += a.sum();
        }
        return n;
    }

    DistributionDataPoint duration() {
        return duration;
    }
}
