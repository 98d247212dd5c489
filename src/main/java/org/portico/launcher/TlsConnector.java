package org.portico.launcher;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The jar's TLS listener: TLS with the given key, then HTTP/2 for clients that offer it by ALPN and HTTP/1.1 for
 * the others (and for clients without ALPN), as httpd's {@code Protocols h2 http/1.1}.
 */
final class TlsConnector {

    private TlsConnector() {
    }

    /** @param plain the plain listener's settings; the TLS listener's are the same plus what makes a request secure */
    static ServerConnector create(Server server, HttpConfiguration plain, ServerKeys keys) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keys.store());
        tls.setKeyStorePassword(new String(keys.password()));
        HttpConfiguration secure = new HttpConfiguration(plain);
        // the request is https to the web app: getScheme(), isSecure(), the port in ProxyPassReverse's rewritten
        // Location and the manager's same-origin check. It also checks, as httpd does, that the Host a request
        // names is the one its TLS connection asked for by SNI
        secure.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory http1 = new HttpConnectionFactory(secure);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(secure);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http1.getProtocol());
        SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
        return new ServerConnector(server, ssl, alpn, http2, http1);
    }
}
