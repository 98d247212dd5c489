package org.portico.launcher;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * An HTTP/2 request names its host in the {@code :authority} pseudo-header and usually sends no {@code Host};
 * httpd's mod_http2 adds {@code Host} from it, so ProxyPreserveHost and X-Forwarded-Host work as over HTTP/1.1.
 * Jetty does not, and the WAR sees only headers: this does it in front of the web app. Stateless; thread-safe.
 */
final class Http2Host extends Handler.Wrapper {

    Http2Host(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String authority = request.getHttpURI().getAuthority();
        if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2 || authority == null
                || authority.isEmpty() || request.getHeaders().contains(HttpHeader.HOST)) {
            return super.handle(request, response, callback);
        }
        HttpFields withHost = HttpFields.build(request.getHeaders()).put(HttpHeader.HOST, authority).asImmutable();
        return super.handle(new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return withHost;
            }
        }, response, callback);
    }
}
