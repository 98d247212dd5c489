package org.portico.backend.loop;

import jakarta.servlet.ServletContext;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.portico.backend.BackendChannel;
import org.portico.backend.BackendProtocol;
import org.portico.config.BackendScheme;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;

/**
 * Plain HTTP/1.1 backends ({@code http://}, and {@code ws://} requests that do not upgrade) on the selectors of the
 * Jetty 12 server Portico runs in, instead of HttpClient's own I/O reactor: one event loop, no hand-off between the
 * reactor's thread and Jetty's for each response. Loaded by name, only on Jetty ({@code BackendProtocols#forContainer}).
 * Thread-safe.
 */
public final class LoopProtocol implements BackendProtocol {

    private final ServerSelectors selectors;

    /**
     * @throws IllegalStateException when {@code context} is not run by a Jetty 12 ee10 server
     */
    public LoopProtocol(ServletContext context) {
        ServletContextHandler handler = ServletContextHandler.getServletContextHandler(context);
        Server server = handler == null ? null : handler.getServer();
        if (server == null) {
            throw new IllegalStateException("not a Jetty 12 ee10 context");
        }
        this.selectors = new ServerSelectors(server);
    }

    @Override
    public Set<BackendScheme> schemes() {
        return EnumSet.of(BackendScheme.HTTP, BackendScheme.WS);
    }

    @Override
    public BackendChannel open(WorkerConfig worker, ProxySettings settings) {
        return new LoopChannel(worker, settings, selectors);
    }

    @Override
    public void close() {
        // the selectors are the server's; each channel closed its own connections
    }
}
