package org.portico.backend.ajp;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of the AJP/1.3 protocol (Tomcat's "AJPv13" reference): packet prefixes and types, method
 * codes, the coded request and response header names and the request attribute codes.
 */
final class AjpCodes {

    private AjpCodes() {
    }

    /** Every packet from the web server starts with these two bytes, then a two-byte payload length. */
    static final int TO_CONTAINER_0 = 0x12;
    static final int TO_CONTAINER_1 = 0x34;
    /** Every packet from the container starts with 'A' 'B'. */
    static final int FROM_CONTAINER_0 = 'A';
    static final int FROM_CONTAINER_1 = 'B';
    /** Prefix and length. */
    static final int HEADER = 4;
    /** The packet size Tomcat's connector and httpd use by default (packetSize, ProxyIOBufferSize). */
    static final int DEFAULT_PACKET = 8192;
    /** The largest packet AJP allows (httpd's AJP_MAX_BUFFER_SZ, Tomcat's packetSize limit). */
    static final int LARGEST_PACKET = 65536;

    /**
     * The size of the packets Portico sends for a worker's {@code iobuffersize}, as mod_proxy_ajp sizes them from
     * ProxyIOBufferSize: at least 8 KiB, at most 64 KiB, rounded up to a whole KiB. It must not exceed the
     * connector's {@code packetSize}, as in httpd.
     */
    static int packetSize(int ioBufferSize) {
        int clamped = Math.max(DEFAULT_PACKET, Math.min(LARGEST_PACKET, ioBufferSize));
        return (clamped + 1023) & ~1023;
    }

    // packet types, web server to container
    static final int FORWARD_REQUEST = 2;
    static final int CPING = 10;
    // packet types, container to web server
    static final int SEND_BODY_CHUNK = 3;
    static final int SEND_HEADERS = 4;
    static final int END_RESPONSE = 5;
    static final int GET_BODY_CHUNK = 6;
    static final int CPONG_REPLY = 9;

    /** The methods AJP codes, as mod_proxy_ajp's table has them; others go as {@link #STORED_METHOD}. */
    static final Map<String, Integer> METHODS = Map.ofEntries(
            Map.entry("OPTIONS", 1), Map.entry("GET", 2), Map.entry("HEAD", 3), Map.entry("POST", 4),
            Map.entry("PUT", 5), Map.entry("DELETE", 6), Map.entry("TRACE", 7), Map.entry("PROPFIND", 8),
            Map.entry("PROPPATCH", 9), Map.entry("MKCOL", 10), Map.entry("COPY", 11), Map.entry("MOVE", 12),
            Map.entry("LOCK", 13), Map.entry("UNLOCK", 14), Map.entry("REPORT", 16),
            Map.entry("VERSION-CONTROL", 17), Map.entry("CHECKIN", 18), Map.entry("CHECKOUT", 19),
            Map.entry("UNCHECKOUT", 20), Map.entry("MKWORKSPACE", 22), Map.entry("UPDATE", 23),
            Map.entry("LABEL", 24), Map.entry("MERGE", 25), Map.entry("BASELINE-CONTROL", 26),
            Map.entry("MKACTIVITY", 27));

    /** The method code of a method named in the {@link #ATTR_STORED_METHOD} attribute. */
    static final int STORED_METHOD = 0xFF;

    /** Request header names sent as 0xA0nn, by lower-case name. */
    private static final Map<String, Integer> REQUEST_HEADERS = Map.ofEntries(
            Map.entry("accept", 0xA001), Map.entry("accept-charset", 0xA002), Map.entry("accept-encoding", 0xA003),
            Map.entry("accept-language", 0xA004), Map.entry("authorization", 0xA005), Map.entry("connection", 0xA006),
            Map.entry("content-type", 0xA007), Map.entry("content-length", 0xA008), Map.entry("cookie", 0xA009),
            Map.entry("cookie2", 0xA00A), Map.entry("host", 0xA00B), Map.entry("pragma", 0xA00C),
            Map.entry("referer", 0xA00D), Map.entry("user-agent", 0xA00E));

    /** Response header names a container may send as 0xA0nn, nn counting from 1. */
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Content-Language", "Content-Length",
            "Date", "Last-Modified", "Location", "Set-Cookie", "Set-Cookie2", "Servlet-Engine", "Status", "WWW-Authenticate");

    // request attributes
    static final int ATTR_REMOTE_USER = 0x03;
    static final int ATTR_AUTH_TYPE = 0x04;
    static final int ATTR_QUERY_STRING = 0x05;
    static final int ATTR_JVM_ROUTE = 0x06;
    static final int ATTR_SSL_CERT = 0x07;
    static final int ATTR_SSL_CIPHER = 0x08;
    static final int ATTR_SSL_SESSION = 0x09;
    static final int ATTR_REQ_ATTRIBUTE = 0x0A;
    static final int ATTR_SSL_KEY_SIZE = 0x0B;
    static final int ATTR_SECRET = 0x0C;
    static final int ATTR_STORED_METHOD = 0x0D;
    static final int ATTR_ARE_DONE = 0xFF;

    /** The request attributes Tomcat reads for what the AJP message has no field for. */
    static final String REMOTE_PORT = "AJP_REMOTE_PORT";
    static final String LOCAL_ADDR = "AJP_LOCAL_ADDR";
    /** Environment entries with this prefix go as request attributes, the prefix taken off (httpd's rule). */
    static final String ENV_PREFIX = "AJP_";

    /** The code of a request header name, or 0 when it goes as a string. */
    static int requestHeaderCode(String name) {
        Integer c = REQUEST_HEADERS.get(name.toLowerCase(Locale.ROOT));
        return c == null ? 0 : c;
    }

    /** The name of a coded response header, or null for a code outside the table. */
    static String responseHeaderName(int code) {
        int n = code & 0xFF;
        return (code & 0xFF00) == 0xA000 && n >= 1 && n <= RESPONSE_HEADERS.size() ? RESPONSE_HEADERS.get(n - 1) : null;
    }
}
