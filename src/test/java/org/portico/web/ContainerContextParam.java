package org.portico.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.PorticoProcess;

/**
 * The built WAR names no descriptor, so the container's own context param is the one that counts (the
 * WAR's web.xml used to name the demo's and win). A subclass per container adds that container's way of
 * setting it, as the README tells operators; no system property is set.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerContextParam {

    private static Backend backend;
    /** What reached java.util.logging, the log the containers route: the WAR brings its own SLF4J provider for it. */
    /** Held strongly: JUL keeps loggers weakly, and a collected one loses its handler. */
    private static final Logger PORTICO_LOGGER = Logger.getLogger("org.portico");
    private static final List<LogRecord> LOGGED = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOGGED.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @ArquillianResource
    private URL base;

    /** Starts the backend, writes a descriptor routing everything to it, and returns a copy of the built WAR. */
    static WebArchive builtWarAndDescriptor(String[] descriptorPath) throws Exception {
        PORTICO_LOGGER.addHandler(CAPTURE);
        backend = Backend.start("from-context-param");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="%s/"/>
                </portico>
                """.formatted(backend.origin()));
        descriptorPath[0] = descriptor.toString();
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/portico.war"));
    }

    @AfterAll
    static void stopBackend() throws Exception {
        PORTICO_LOGGER.removeHandler(CAPTURE);
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @Test
    void theContainersContextParamNamesTheDescriptor() throws Exception {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpResponse<String> r = Http.get(URI.create(root + "name"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("from-context-param", r.body());
    }

    /** Tomcat's case; the subclass declares the test (embedded Jetty shares its own SLF4J with the WAR instead). */
    static void assertStartUpLineReachedJavaUtilLogging() {
        assertTrue(LOGGED.stream().anyMatch(r -> r.getLoggerName().equals("org.portico.web.PorticoLifecycle")
                        && r.getMessage().startsWith("Portico started from ") && r.getLevel() == Level.INFO),
                () -> "start-up line not in java.util.logging; got " + LOGGED.stream().map(LogRecord::getMessage).toList());
    }
}
