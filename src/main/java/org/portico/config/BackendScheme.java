package org.portico.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The URL schemes a worker may have, each with the port it defaults to and whether its connections are TLS:
 * the one list the descriptor, the import and the backend protocols go by. A scheme is here once a backend
 * protocol speaks it ({@code org.portico.backend}).
 */
public enum BackendScheme {
    HTTP("http", 80, false),
    HTTPS("https", 443, true),
    /**
     * mod_proxy_wstunnel's scheme, which mod_proxy_http serves since httpd 2.4.47: HTTP/1.1 whose worker tunnels
     * WebSocket upgrades by default ({@code upgrade=websocket} implied); a request without one goes as plain HTTP.
     */
    WS("ws", 80, false),
    /** ws:// over TLS. */
    WSS("wss", 443, true),
    /** HTTP/2 with prior knowledge over plain TCP, as mod_proxy_http2's h2c://. */
    H2C("h2c", 80, false),
    /** HTTP/2 over TLS, negotiated by ALPN, as mod_proxy_http2's h2://. */
    H2("h2", 443, true),
    /** AJP/1.3 to a servlet container's AJP connector, as mod_proxy_ajp's ajp://. */
    AJP("ajp", 8009, false);

    private static final BackendScheme[] VALUES = values();

    private final String id;
    private final int defaultPort;
    private final boolean secure;

    BackendScheme(String id, int defaultPort, boolean secure) {
        this.id = id;
        this.defaultPort = defaultPort;
        this.secure = secure;
    }

    /** The scheme as written in URLs, lower case. */
    public String id() {
        return id;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Whether this scheme speaks HTTP/2. */
    public boolean http2() {
        return this == H2C || this == H2;
    }

    /** Whether this scheme speaks HTTP (1.1 or 2), which Portico's HTTP health checks and 100-continue ping need. */
    public boolean http() {
        return this != AJP;
    }

    /** Whether this is mod_proxy_wstunnel's ws:// or wss://. */
    public boolean webSocket() {
        return this == WS || this == WSS;
    }

    /** Whether connections of this scheme are TLS (a trust store applies). */
    public boolean secure() {
        return secure;
    }

    /** The scheme named {@code scheme}, in any case; empty for one no backend protocol speaks. */
    public static Optional<BackendScheme> of(String scheme) {
        // on every request's path (WorkerConfig.backendScheme): a loop over a cached array, no stream
        for (BackendScheme b : VALUES) {
            if (b.id.equalsIgnoreCase(scheme)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** "http://, https://, ..." for error messages. */
    public static String listed() {
        return Arrays.stream(values()).map(b -> b.id + "://").collect(Collectors.joining(", "));
    }
}
