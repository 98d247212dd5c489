package org.portico.launcher;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code OPTIONS * HTTP/1.1} asks the server, not a resource, what it supports: httpd answers it itself with
 * 200 and no body, while Jetty would hand it to no context and answer 404. A WAR cannot see such a request, so
 * the standalone jar answers it in front of the web app. Stateless; thread-safe.
 */
final class ServerWideOptions extends Handler.Wrapper {

    ServerWideOptions(Handler webapp) {
        super(webapp);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if ("OPTIONS".equals(request.getMethod()) && "*".equals(request.getHttpURI().getPath())) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            callback.succeeded();
            return true;
        }
        return super.handle(request, response, callback);
    }
}
