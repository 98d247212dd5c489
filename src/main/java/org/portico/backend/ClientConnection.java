package org.portico.backend;

import java.util.Map;

/**
 * What the proxy knows of the client's connection and request beyond the request head, for backend protocols
 * that carry it in fields of their own (AJP's remote address, TLS attributes, remote user); HTTP ignores it.
 * Immutable.
 *
 * @param remoteAddr the client's IP address
 * @param remoteHost the client's host name when the container resolved one, else null (httpd: REMOTE_HOST)
 * @param remotePort the client's port
 * @param localAddr the address the client connected to
 * @param serverName the server name of the request (httpd's {@code ap_get_server_name})
 * @param serverPort the port the client connected to
 * @param protocol the client's protocol, {@code HTTP/1.1}
 * @param secure whether the client came over TLS
 * @param tls the client's TLS session, null when it did not come over TLS
 * @param remoteUser the authenticated user, or null
 * @param authType the authentication scheme, or null
 * @param sessionRoute the sticky route found in the request (httpd's {@code session-route} note), or null
 * @param environment the request's string-valued attributes (httpd's environment: {@code BALANCER_*} and
 *        whatever a filter set), in no order
 */
public record ClientConnection(String remoteAddr, String remoteHost, int remotePort, String localAddr,
                               String serverName, int serverPort, String protocol, boolean secure, Tls tls,
                               String remoteUser, String authType, String sessionRoute, Map<String, String> environment) {

    public ClientConnection {
        environment = Map.copyOf(environment);
    }

    /**
     * The client's TLS session as the container reports it.
     *
     * @param cipher the cipher suite, or null
     * @param sessionId the session id in hex, or null
     * @param keySize the cipher's key size in bits, or null
     * @param certificatePem the client certificate in PEM, or null when it sent none
     */
    public record Tls(String cipher, String sessionId, Integer keySize, String certificatePem) {
    }

    /** A request head that carries its client's connection; the proxy's requests do. */
    public interface Carrier {
        /** The client connection of this request, or null when it has none (a health check). */
        ClientConnection client();
    }
}
