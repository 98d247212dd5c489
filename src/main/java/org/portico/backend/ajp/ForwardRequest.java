package org.portico.backend.ajp;

import java.util.Map;
import java.util.TreeMap;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.portico.backend.ClientConnection;

/**
 * The AJP13_FORWARD_REQUEST packet of one request, mapped as mod_proxy_ajp maps httpd's request: method code
 * (or, for a method AJP has no code for, the "stored method" code and the method's name as an attribute),
 * protocol, URI without its query, the client's address and host, server name and port, whether the client
 * came over TLS, the headers (coded names where AJP has one), then the attributes: secret, remote user, auth
 * type, query string, route, the TLS attributes when the client came over TLS, {@code AJP_REMOTE_PORT},
 * {@code AJP_LOCAL_ADDR} and the environment's {@code AJP_*} entries.
 */
final class ForwardRequest {

    private ForwardRequest() {
    }

    /**
     * @param entity the request body's details, or null when the request has none
     * @param client the client's connection, or null (then its fields are sent empty)
     * @param secret the worker's secret, or null
     * @param packetSize the worker's packet size ({@link AjpCodes#packetSize}): a head that does not fit overflows
     */
    static AjpMessage encode(HttpRequest head, EntityDetails entity, ClientConnection client, String secret,
                             int packetSize) throws AjpMessage.Overflow {
        Integer code = AjpCodes.METHODS.get(head.getMethod());
        // a method without a code (PATCH, ...) goes as "stored": its name in the stored_method attribute
        int method = code != null ? code : AjpCodes.STORED_METHOD;
        String target = head.getPath() == null ? "/" : head.getPath();
        int q = target.indexOf('?');
        String uri = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        ClientConnection c = client != null ? client
                : new ClientConnection("", null, 0, "", "", 0, "HTTP/1.1", false, null, null, null, null, Map.of());

        AjpMessage m = new AjpMessage(packetSize);
        m.field("the request line").putByte(AjpCodes.FORWARD_REQUEST).putByte(method)
                .putString(c.protocol() == null ? "HTTP/1.1" : c.protocol()).putString(uri)
                .putString(c.remoteAddr()).putString(c.remoteHost()).putString(c.serverName())
                .putInt(c.serverPort()).putBoolean(c.secure());

        Header[] headers = head.getHeaders();
        String length = null;
        boolean chunked = false;
        if (entity != null && !head.containsHeader("Content-Length")) {
            if (entity.getContentLength() >= 0) {
                length = Long.toString(entity.getContentLength());
            } else if (!head.containsHeader("Transfer-Encoding")) {
                chunked = true; // no length: the container asks for the body until an empty chunk
            }
        }
        m.field("the headers").putInt(headers.length + (length != null ? 1 : 0) + (chunked ? 1 : 0));
        for (Header h : headers) {
            header(m, h.getName(), h.getValue());
        }
        if (length != null) {
            header(m, "Content-Length", length);
        }
        if (chunked) {
            header(m, "Transfer-Encoding", "chunked");
        }

        m.field("the attributes");
        if (code == null) {
            attribute(m, AjpCodes.ATTR_STORED_METHOD, head.getMethod());
        }
        attribute(m, AjpCodes.ATTR_SECRET, secret);
        attribute(m, AjpCodes.ATTR_REMOTE_USER, c.remoteUser());
        attribute(m, AjpCodes.ATTR_AUTH_TYPE, c.authType());
        attribute(m, AjpCodes.ATTR_QUERY_STRING, query);
        attribute(m, AjpCodes.ATTR_JVM_ROUTE, c.sessionRoute());
        ClientConnection.Tls tls = c.tls();
        if (c.secure() && tls != null) {
            // httpd passes only the TLS values that are set and not empty
            attribute(m, AjpCodes.ATTR_SSL_CERT, tls.certificatePem());
            attribute(m, AjpCodes.ATTR_SSL_CIPHER, tls.cipher());
            attribute(m, AjpCodes.ATTR_SSL_SESSION, tls.sessionId());
            if (tls.keySize() != null) {
                m.putByte(AjpCodes.ATTR_SSL_KEY_SIZE).putInt(tls.keySize());
            }
        }
        if (client != null) {
            requestAttribute(m, AjpCodes.REMOTE_PORT, Integer.toString(c.remotePort()));
            requestAttribute(m, AjpCodes.LOCAL_ADDR, c.localAddr());
            // sorted, so that the packet does not depend on a map's order
            for (Map.Entry<String, String> e : new TreeMap<>(c.environment()).entrySet()) {
                if (e.getKey().startsWith(AjpCodes.ENV_PREFIX) && e.getKey().length() > AjpCodes.ENV_PREFIX.length()) {
                    requestAttribute(m, e.getKey().substring(AjpCodes.ENV_PREFIX.length()), e.getValue());
                }
            }
        }
        m.putByte(AjpCodes.ATTR_ARE_DONE);
        m.finish();
        return m;
    }

    private static void header(AjpMessage m, String name, String value) throws AjpMessage.Overflow {
        int code = AjpCodes.requestHeaderCode(name);
        if (code != 0) {
            m.putInt(code);
        } else {
            m.putString(name);
        }
        m.putString(value);
    }

    private static void attribute(AjpMessage m, int code, String value) throws AjpMessage.Overflow {
        if (value != null && !value.isEmpty()) {
            m.putByte(code).putString(value);
        }
    }

    private static void requestAttribute(AjpMessage m, String name, String value) throws AjpMessage.Overflow {
        if (value != null && !value.isEmpty()) {
            m.putByte(AjpCodes.ATTR_REQ_ATTRIBUTE).putString(name).putString(value);
        }
    }
}
