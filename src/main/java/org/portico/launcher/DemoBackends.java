package org.portico.launcher;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** Two tiny HTTP servers on loopback for {@code --demo}; each answers saying which one it is. */
final class DemoBackends implements AutoCloseable {

    private final List<Server> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    /** Starts backends {@code b1}, {@code b2}, ... on the preferred ports, or on free ones when taken. */
    static DemoBackends start(int... preferredPorts) throws Exception {
        DemoBackends d = new DemoBackends();
        try {
            for (int i = 0; i < preferredPorts.length; i++) {
                d.startOne("b" + (i + 1), preferredPorts[i]);
            }
        } catch (Exception e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void startOne(String name, int preferredPort) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(preferredPort);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = "Hello from demo backend " + name + " (127.0.0.1:" + Request.getLocalPort(request) + ")"
                        + ", you asked for " + request.getHttpURI().getPathQuery() + "\n";
                response.getHeaders().put("X-Backend", name);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (java.io.IOException bindFailure) {
            if (preferredPort == 0) {
                throw bindFailure;
            }
            server.stop();
            startOne(name, 0);
            return;
        }
        servers.add(server);
        ports.add(connector.getLocalPort());
    }

    List<Integer> ports() {
        return ports;
    }

    @Override
    public void close() throws Exception {
        for (Server s : servers) {
            s.stop();
        }
    }
}
