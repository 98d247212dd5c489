package org.portico.tunnel.jetty;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.portico.tunnel.ClientSwitch;
import org.portico.tunnel.TunnelEnd;

/**
 * Jetty 12's connection upgrade, for a container whose ee10 {@code HttpServletRequest.upgrade} throws
 * "Not implemented": a {@link JettyEnd} is named in the request attribute Jetty's HTTP/1.1 connection reads
 * when the response completed, and Jetty puts it in its place on the endpoint after the 101 went out (as
 * Jetty's own WebSocket upgrade does). Loaded only on Jetty, by name ({@link ClientSwitch#of}).
 */
public final class JettySwitch implements ClientSwitch {

    public JettySwitch() {
    }

    @Override
    public void upgrade(HttpServletRequest c2p, int bufferSize, Consumer<TunnelEnd> opened) throws ServletException {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(c2p);
        if (request == null) {
            throw new ServletException("not a Jetty request: " + c2p.getClass().getName());
        }
        var connection = request.getConnectionMetaData().getConnection();
        if (!"HTTP/1.1".equals(request.getConnectionMetaData().getProtocol())) {
            throw new ServletException("only an HTTP/1.1 connection can be switched, not " + request.getConnectionMetaData().getProtocol());
        }
        JettyEnd end = new JettyEnd(connection.getEndPoint(), request.getComponents().getExecutor(), bufferSize, opened);
        Request.unWrap(request).setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, end);
    }
}
