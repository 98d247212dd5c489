package org.portico.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An HTTPS backend on 127.0.0.1 with a {@link SelfSignedCertificate}, and a trust store that trusts exactly
 * that certificate.
 */
public final class TlsBackend implements AutoCloseable {

    public static final String PASSWORD = "changeit-test";

    private final Path dir;
    private final Server server = new Server();
    private final ServerConnector connector;

    public TlsBackend() throws Exception {
        dir = Files.createTempDirectory("portico-tls");
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir, "backend", PASSWORD);
        certificate.writeTrustStore(trustStore());
        Path keyStore = certificate.keyStore();

        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStore.toString());
        tls.setKeyStorePassword(PASSWORD);
        tls.setKeyStoreType("PKCS12");
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer(false));
        connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = "secure hello, you asked for " + request.getHttpURI().getPathQuery()
                        + " over " + request.getHttpURI().getScheme() + "\n";
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
    }

    /** A PKCS12 trust store (password {@link #PASSWORD}) holding the backend's certificate. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
