package org.portico.backend.http;

import java.util.EnumSet;
import java.util.Set;
import org.portico.backend.BackendChannel;
import org.portico.backend.BackendProtocol;
import org.portico.config.BackendScheme;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;

/**
 * HTTP/1.1 ({@code http://}, {@code https://}) and HTTP/2 ({@code h2c://}, {@code h2://}) backends through
 * HttpClient5, every worker's pool on I/O reactors shared by workers of equal socket settings. Thread-safe.
 */
public final class HttpProtocol implements BackendProtocol {

    private final BackendReactors reactors = new BackendReactors();

    @Override
    public Set<BackendScheme> schemes() {
        return EnumSet.of(BackendScheme.HTTP, BackendScheme.HTTPS, BackendScheme.WS, BackendScheme.WSS, BackendScheme.H2C,
                BackendScheme.H2);
    }

    @Override
    public BackendChannel open(WorkerConfig worker, ProxySettings settings) {
        return new HttpChannel(worker, settings, reactors);
    }

    @Override
    public void close() {
        reactors.close();
    }
}
