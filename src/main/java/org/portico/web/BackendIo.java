package org.portico.web;

import jakarta.servlet.ServletContext;
import java.util.Locale;
import org.portico.backend.BackendProtocol;
import org.portico.backend.BackendProtocols;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which I/O carries plain HTTP/1.1 backend connections, from the context param (or system property)
 * {@value #PARAM}: {@code container} (the default) puts them on the Jetty server's own selectors when the container
 * is Jetty 12 ({@code org.portico.backend.loop}) and on HttpClient's reactor elsewhere; {@code httpclient} keeps
 * them on HttpClient's reactor everywhere. TLS, HTTP/2 and AJP backends keep their own channels either way.
 */
final class BackendIo {

    static final String PARAM = "portico.backend-io";
    private static final Logger LOG = LoggerFactory.getLogger(BackendIo.class);

    private BackendIo() {
    }

    /**
     * @throws IllegalArgumentException when the param has a value other than {@code container} or {@code httpclient}
     */
    static BackendProtocols protocols(ServletContext context) {
        String value = System.getProperty(PARAM, context.getInitParameter(PARAM));
        String io = value == null ? "container" : value.trim().toLowerCase(Locale.ROOT);
        switch (io) {
            case "httpclient":
                LOG.info("http:// backends: HttpClient's I/O reactor ({}=httpclient)", PARAM);
                return new BackendProtocols();
            case "container":
                return new BackendProtocols(containerLoop(context));
            default:
                throw new IllegalArgumentException(PARAM + "='" + value + "' is not one of: container, httpclient");
        }
    }

    /** Jetty's selectors when the container is Jetty 12 and shows the web app its classes, else null. */
    private static BackendProtocol containerLoop(ServletContext context) {
        String server = context.getServerInfo();
        if (server == null || !server.toLowerCase(Locale.ROOT).startsWith("jetty")) {
            LOG.info("http:// backends: HttpClient's I/O reactor (the container's own I/O is used on Jetty 12 only)");
            return null;
        }
        try {
            BackendProtocol loop = (BackendProtocol) Class.forName("org.portico.backend.loop.LoopProtocol", true,
                    BackendIo.class.getClassLoader()).getConstructor(ServletContext.class).newInstance(context);
            LOG.info("http:// backends: the connections ride Jetty's own selectors ({}=container)", PARAM);
            return loop;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // WEB-INF/jetty-ee10-web.xml shows the web app Jetty's classes; a Jetty that hides them anyway keeps HttpClient
            LOG.warn("http:// backends: HttpClient's I/O reactor, since this Jetty's I/O classes are hidden from the"
                    + " web app ({})", e.toString());
            return null;
        }
    }
}
