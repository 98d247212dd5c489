package org.portico.rewrite;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty-core backend on 127.0.0.1 and a free port that answers each path with the status and the
 * header lines a test scripted for it, exactly as written (several lines of one name included), and
 * an empty body. Unscripted paths get 404.
 */
final class ScriptedBackend implements AutoCloseable {

    /** One header line, name and value as they go on the wire. */
    record Line(String name, String value) {
    }

    private record Script(int status, List<Line> lines) {
    }

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server, 1, 1);
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();

    ScriptedBackend() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Script script = scripts.get(Request.getPathInContext(request));
                if (script == null) {
                    response.setStatus(404);
                } else {
                    response.setStatus(script.status());
                    for (Line line : script.lines()) {
                        if ("Date".equalsIgnoreCase(line.name())) {
                            response.getHeaders().put(line.name(), line.value()); // instead of Jetty's own
                        } else {
                            response.getHeaders().add(line.name(), line.value());
                        }
                    }
                }
                response.getHeaders().put("Content-Length", 0L);
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    /** From now on, {@code path} is answered with {@code status} and {@code lines}. */
    void script(String path, int status, Line... lines) {
        scripts.put(path, new Script(status, List.of(lines)));
    }

    static Line line(String name, String value) {
        return new Line(name, value);
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
