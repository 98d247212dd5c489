package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import org.portico.backend.ClientConnection;

/** Reads a {@link ClientConnection} off the servlet request: what httpd's request record tells mod_proxy_ajp. */
final class ClientFacts {

    private ClientFacts() {
    }

    /**
     * @param serverName the request's server name as Portico names it (ServerName, else the request's)
     * @param sessionRoute the sticky route the balancer found in the request, or null
     */
    static ClientConnection of(HttpServletRequest c2p, String serverName, String sessionRoute) {
        Map<String, String> env = new HashMap<>();
        for (Enumeration<String> names = c2p.getAttributeNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (c2p.getAttribute(name) instanceof String value) {
                env.put(name, value);
            }
        }
        String remoteHost = c2p.getRemoteHost();
        return new ClientConnection(c2p.getRemoteAddr(),
                remoteHost == null || remoteHost.equals(c2p.getRemoteAddr()) ? null : remoteHost,
                c2p.getRemotePort(), c2p.getLocalAddr(), serverName, c2p.getLocalPort(), c2p.getProtocol(),
                c2p.isSecure(), c2p.isSecure() ? tls(c2p) : null, c2p.getRemoteUser(), c2p.getAuthType(), sessionRoute, env);
    }

    /** The Servlet API's TLS attributes (spec 3.10); a container that sets none gives empty fields. */
    private static ClientConnection.Tls tls(HttpServletRequest c2p) {
        Object cipher = c2p.getAttribute("jakarta.servlet.request.cipher_suite");
        Object session = c2p.getAttribute("jakarta.servlet.request.ssl_session_id");
        Object keySize = c2p.getAttribute("jakarta.servlet.request.key_size");
        Object certs = c2p.getAttribute("jakarta.servlet.request.X509Certificate");
        String pem = null;
        if (certs instanceof X509Certificate[] chain && chain.length > 0) {
            try {
                pem = "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(chain[0].getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            } catch (CertificateEncodingException e) {
                pem = null; // httpd passes no ssl_cert when it has none to pass
            }
        }
        return new ClientConnection.Tls(cipher instanceof String c ? c : null, session instanceof String s ? s : null,
                keySize instanceof Integer k ? k : null, pem);
    }
}
