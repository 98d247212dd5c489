package org.portico.backend;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.portico.config.BackendScheme;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;

/** The backend protocols of one running proxy, by the schemes they speak. Thread-safe. */
public final class BackendProtocols implements AutoCloseable {

    private final Map<BackendScheme, BackendProtocol> byScheme = new EnumMap<>(BackendScheme.class);
    private final Set<BackendProtocol> all = new LinkedHashSet<>();

    /** The protocols {@link ServiceLoader} finds beside this class. */
    public BackendProtocols() {
        this(null);
    }

    /**
     * The protocols {@link ServiceLoader} finds beside this class, with {@code first} speaking its schemes in their
     * place (the container's own I/O for plain HTTP/1.1 on Jetty); null for none.
     */
    public BackendProtocols(BackendProtocol first) {
        for (BackendProtocol p : ServiceLoader.load(BackendProtocol.class, BackendProtocols.class.getClassLoader())) {
            for (BackendScheme s : p.schemes()) {
                BackendProtocol before = byScheme.putIfAbsent(s, p);
                if (before != null) {
                    throw new IllegalStateException(s.id() + ":// is spoken by both " + before.getClass().getName()
                            + " and " + p.getClass().getName());
                }
            }
            all.add(p);
        }
        if (first != null) {
            first.schemes().forEach(s -> byScheme.put(s, first));
            all.add(first);
        }
    }

    /** The protocol that speaks {@code scheme}, or null. */
    public BackendProtocol speaking(BackendScheme scheme) {
        return byScheme.get(scheme);
    }

    /**
     * Opens the channel of {@code worker}.
     *
     * @throws IllegalStateException when no protocol speaks its scheme, or its settings cannot be put in place
     */
    public BackendChannel open(WorkerConfig worker, ProxySettings settings) {
        BackendProtocol p = byScheme.get(worker.backendScheme());
        if (p == null) {
            throw new IllegalStateException("no backend protocol speaks " + worker.scheme() + ":// (" + worker.name() + ")");
        }
        return p.open(worker, settings);
    }

    /** Closes what each protocol's channels share. */
    @Override
    public void close() {
        all.forEach(BackendProtocol::close);
    }
}
