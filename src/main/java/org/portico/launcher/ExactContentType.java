package org.portico.launcher;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.portico.proxy.ErrorPage;

/**
 * Sends a Content-Type byte for byte as Portico wrote it. Jetty's servlet layer re-spells a known type
 * ({@code text/html; charset=iso-8859-1} becomes {@code text/html;charset=iso-8859-1}); httpd's error pages
 * carry the space. Below the servlet layer the header is put back from the request attribute
 * {@link ErrorPage#EXACT_CONTENT_TYPE} just before the response commits. Thread-safe (stateless).
 */
final class ExactContentType extends Handler.Wrapper {

    ExactContentType(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(request, new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback written) {
                if (!isCommitted() && request.getAttribute(ErrorPage.EXACT_CONTENT_TYPE) instanceof String exact
                        && getHeaders().get(HttpHeader.CONTENT_TYPE) != null) {
                    getHeaders().put(HttpHeader.CONTENT_TYPE, exact);
                }
                super.write(last, content, written);
            }
        }, callback);
    }
}
