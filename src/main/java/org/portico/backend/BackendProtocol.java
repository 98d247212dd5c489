package org.portico.backend;

import java.util.Set;
import org.portico.config.BackendScheme;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;

/**
 * One way of speaking to backends (HTTP/1.1 and HTTP/2, AJP, ...): it opens the channel of each worker whose
 * scheme it speaks, and owns what those channels share (I/O threads, timers). Found with
 * {@link java.util.ServiceLoader}, so a new protocol is a new package and one line in
 * {@code META-INF/services/org.portico.backend.BackendProtocol}. Thread-safe.
 */
public interface BackendProtocol extends AutoCloseable {

    /** The schemes this protocol speaks; no two protocols share one. */
    Set<BackendScheme> schemes();

    /**
     * Opens the channel of {@code worker}, whose scheme is one of {@link #schemes()}.
     *
     * @throws IllegalStateException when the worker's settings cannot be put in place (an unreadable trust store)
     */
    BackendChannel open(WorkerConfig worker, ProxySettings settings);

    /** Closes what the channels share; every channel was closed before. */
    @Override
    void close();
}
