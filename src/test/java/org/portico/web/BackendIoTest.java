package org.portico.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.backend.BackendProtocols;
import org.portico.backend.http.HttpProtocol;
import org.portico.backend.loop.LoopProtocol;
import org.portico.config.BackendScheme;

/** Which I/O carries plain HTTP/1.1 backends, by container and by {@code portico.backend-io}. */
class BackendIoTest {

    private final Server server = new Server();
    private final ServletContextHandler jetty = new ServletContextHandler("/");

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private ServletContext jettyContext(String io) throws Exception {
        if (io != null) {
            jetty.setInitParameter(BackendIo.PARAM, io);
        }
        server.setHandler(jetty);
        server.start();
        return jetty.getServletContext();
    }

    @Test
    void onJettyHttpBackendsRideTheServersSelectorsByDefault() throws Exception {
        try (BackendProtocols p = BackendIo.protocols(jettyContext(null))) {
            assertInstanceOf(LoopProtocol.class, p.speaking(BackendScheme.HTTP));
            assertInstanceOf(LoopProtocol.class, p.speaking(BackendScheme.WS));
            assertInstanceOf(HttpProtocol.class, p.speaking(BackendScheme.HTTPS), "TLS stays with HttpClient");
            assertInstanceOf(HttpProtocol.class, p.speaking(BackendScheme.H2C));
        }
    }

    @Test
    void httpclientKeepsHttpBackendsOnHttpClientsReactorOnJetty() throws Exception {
        try (BackendProtocols p = BackendIo.protocols(jettyContext("httpclient"))) {
            assertInstanceOf(HttpProtocol.class, p.speaking(BackendScheme.HTTP));
        }
    }

    @Test
    void anotherContainerKeepsHttpClientsReactor() {
        try (BackendProtocols p = BackendIo.protocols(context("Apache Tomcat/11.0.25", null))) {
            assertInstanceOf(HttpProtocol.class, p.speaking(BackendScheme.HTTP));
        }
    }

    @Test
    void anUnknownValueIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendIo.protocols(context("Apache Tomcat/11.0.25", "epoll")));
        assertEquals("portico.backend-io='epoll' is not one of: container, httpclient", e.getMessage());
    }

    /** A context that answers its server info and the one init param, the only things asked here. */
    private static ServletContext context(String serverInfo, String io) {
        return (ServletContext) Proxy.newProxyInstance(BackendIoTest.class.getClassLoader(), new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getServerInfo" -> serverInfo;
                    case "getInitParameter" -> BackendIo.PARAM.equals(args[0]) ? io : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
