package org.portico.tunnel;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the client's connection is switched over to a tunnel once the backend said 101: the Servlet API's
 * {@code HttpServletRequest.upgrade} where the container implements it (Tomcat, WildFly), Jetty's own
 * connection upgrade on Jetty 12, whose ee10 {@code upgrade} is not implemented. Thread-safe.
 */
public interface ClientSwitch {

    /**
     * Switches the connection of {@code c2p}, whose response already holds status 101 and its headers.
     * Called on the request's service thread, inside the servlet's service method, which then returns: the
     * container sends the 101 and hands the connection over afterwards, and {@code opened} gets it then.
     *
     * @param bufferSize the read buffer of the client's end
     */
    void upgrade(HttpServletRequest c2p, int bufferSize, Consumer<TunnelEnd> opened) throws IOException, ServletException;

    /** The switch for the container running {@code context}. */
    static ClientSwitch of(ServletContext context) {
        String server = context.getServerInfo();
        if (server != null && server.toLowerCase(Locale.ROOT).startsWith("jetty")) {
            try {
                return (ClientSwitch) Class.forName("org.portico.tunnel.jetty.JettySwitch", true, ClientSwitch.class.getClassLoader())
                        .getConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // WEB-INF/jetty-ee10-web.xml shows the web app Jetty's server classes; a Jetty that hides them anyway
                // cannot switch a connection
                LoggerFactory.getLogger(ClientSwitch.class).warn("Upgrade tunnels are off in {}: Jetty's connection classes"
                        + " are hidden from the web app ({})", server, e.toString());
                return (c2p, size, opened) -> {
                    throw new ServletException("this Jetty hides its connection classes from the web app: no tunnel");
                };
            }
        }
        return new ServletSwitch();
    }

    /** The Servlet API's upgrade: the container makes a {@link ServletEnd} and calls its init. */
    final class ServletSwitch implements ClientSwitch {
        private static final Logger LOG = LoggerFactory.getLogger(ServletSwitch.class);

        @Override
        public void upgrade(HttpServletRequest c2p, int bufferSize, Consumer<TunnelEnd> opened)
                throws IOException, ServletException {
            ServletEnd end = c2p.upgrade(ServletEnd.class);
            LOG.debug("upgrade of {} handed to {}", c2p.getRequestURI(), end);
            end.prepare(bufferSize, opened);
        }
    }
}
