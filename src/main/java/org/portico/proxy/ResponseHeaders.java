package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Iterator;
import java.util.Set;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.portico.config.ProxySettings;

/**
 * Copies the backend's status and headers to the client response as mod_proxy_http does (spec §9):
 * hop-by-hop headers dropped, framing left to the container, Via appended per ProxyVia. Rewriting
 * (ProxyPassReverse, cookies) is done by the servlet filters that wrap the response.
 */
final class ResponseHeaders {

    private final ProxySettings settings;
    private final String serverName;

    ResponseHeaders(ProxySettings settings, String serverName) {
        this.settings = settings;
        this.serverName = serverName;
    }

    void copy(HttpResponse s2p, HttpServletResponse p2c, HttpServletRequest c2p, long contentLength) {
        p2c.setStatus(s2p.getCode());
        Set<String> connectionTokens = Set.of();
        for (Iterator<Header> it = s2p.headerIterator("Connection"); it.hasNext(); ) {
            connectionTokens = HopByHop.addTokens(connectionTokens, it.next().getValue());
        }
        for (Iterator<Header> it = s2p.headerIterator(); it.hasNext(); ) {
            Header h = it.next();
            String name = h.getName();
            if (HopByHop.responseSkips(name, connectionTokens)) {
                continue;
            }
            if (HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                // the standalone jar puts it back byte for byte below Jetty's servlet layer, which re-spells it
                c2p.setAttribute(ErrorPage.EXACT_CONTENT_TYPE, h.getValue());
            }
            if (HttpHeaders.DATE.equalsIgnoreCase(name) || HttpHeaders.SERVER.equalsIgnoreCase(name)) {
                // the container may have put its own already; the backend's is the one httpd passes on
                p2c.setHeader(name, h.getValue());
            } else {
                p2c.addHeader(name, h.getValue());
            }
        }
        if (contentLength >= 0) {
            p2c.setContentLengthLong(contentLength);
        } else if ("HEAD".equals(c2p.getMethod())) {
            Header cl = s2p.getFirstHeader("Content-Length");
            // httpd's header filter drops "Content-Length: 0" from a HEAD answer (spec section 12 item 14)
            if (cl != null && !"0".equals(cl.getValue().trim())) {
                p2c.setHeader("Content-Length", cl.getValue());
            }
        }
        if (settings.via() == ProxySettings.Via.ON || settings.via() == ProxySettings.Via.FULL) {
            p2c.addHeader("Via", RequestHeaders.viaEntry(c2p, settings, serverName));
        }
        if (HopByHop.connectionTokens(c2p.getHeaders("Connection")).contains("close")) {
            // Jetty 12's HTTP/1 generator forgets the request's "Connection: close" when a response head outgrows
            // its first 8 KiB buffer and is generated again (jetty/jetty.project#15840): the connection then stayed
            // open until the header timeout, 20 s. Written in the response, the close survives the second pass.
            p2c.setHeader("Connection", "close");
        }
    }
}
