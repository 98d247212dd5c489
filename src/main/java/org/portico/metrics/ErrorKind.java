package org.portico.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.portico.balancer.Failure;
import org.portico.proxy.ExchangeListener;

/**
 * The kinds of error an exchange is counted under: the proxy's own classification of backend failures
 * ({@link Failure}: connect_failed, read_timeout, ...), a client that went away ({@code client_abort}), and
 * a 5xx response relayed from the backend ({@code status_5xx}). Stateless.
 */
final class ErrorKind {

    /** Every kind's label, indexed as {@link #of} answers. */
    static final List<String> LABELS;
    static final int CLIENT_ABORT;
    static final int STATUS_5XX;

    static {
        List<String> labels = new ArrayList<>();
        for (Failure f : Failure.values()) {
            labels.add(f.name().toLowerCase(Locale.ROOT));
        }
        CLIENT_ABORT = labels.size();
        labels.add("client_abort");
        STATUS_5XX = labels.size();
        labels.add("status_5xx");
        LABELS = List.copyOf(labels);
    }

    private ErrorKind() {
    }

    /**
     * The kind {@code end} counts under, or -1 when it is no error. A backend failure wins over the rest (it
     * may come after the response head); a client abort over the status its response had.
     */
    static int of(ExchangeListener.End end) {
        if (end.failure() != null) {
            return end.failure().ordinal();
        }
        if (end.clientAborted()) {
            return CLIENT_ABORT;
        }
        return end.status() >= 500 ? STATUS_5XX : -1;
    }
}
