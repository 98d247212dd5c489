package org.portico.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * One backend origin URL with its parameters: a balancer member or a direct target.
 *
 * @param name the URL as written, without a trailing slash when it has no path (httpd's name)
 * @param uri the parsed URL; scheme is http, https, ws or wss (mod_proxy_wstunnel's) and a host is present
 */
public record WorkerConfig(String name, URI uri, WorkerParams params, SourceLocation where) {

    private static final String WRITE = "write http://host[:port][/path] or https://host[:port][/path]"
            + " (ws:// and wss:// for WebSocket members)";

    public String scheme() {
        return uri.getScheme();
    }

    public String host() {
        return uri.getHost();
    }

    /** Whether the backend is reached over TLS: https:// or wss://. */
    public boolean secure() {
        return secure(uri.getScheme());
    }

    /**
     * The HTTP scheme the worker is spoken to with: http or https. A ws:// (wss://) worker is an http:// (https://)
     * one that tunnels WebSocket upgrades by default, as mod_proxy_http serves mod_proxy_wstunnel's workers since
     * httpd 2.4.47; a request without an upgrade goes to it as plain HTTP.
     */
    public String httpScheme() {
        return secure() ? "https" : "http";
    }

    /** The protocols this worker tunnels: its {@code upgrade} parameter, else websocket for ws:// and wss://. */
    public UpgradeProtocols upgrade() {
        UpgradeProtocols u = params.upgrade();
        return u.enabled() || !isWebSocketScheme(uri.getScheme()) ? u : UpgradeProtocols.WEBSOCKET;
    }

    /** The port, with the scheme's default filled in. */
    public int port() {
        int p = uri.getPort();
        return p >= 0 ? p : secure() ? 443 : 80;
    }

    private static boolean secure(String scheme) {
        return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme);
    }

    private static boolean isWebSocketScheme(String scheme) {
        return "ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme);
    }

    /** The path part of the URL ({@code /modules} for {@code http://h/modules}), possibly empty. */
    public String path() {
        String p = uri.getRawPath();
        return p == null ? "" : p;
    }

    public WorkerConfig withParams(WorkerParams newParams) {
        return new WorkerConfig(name, uri, newParams, where);
    }

    /**
     * The worker for {@code url} (a descriptor's member or target, or one the manager adds), named as httpd
     * names it: without the trailing slash of a path that is just {@code /}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code url}, quoted, and what is allowed
     */
    public static WorkerConfig of(String url, WorkerParams params, SourceLocation where) {
        URI uri = backendUri(url);
        return new WorkerConfig(name(url, uri), uri, params, where);
    }

    /** httpd's name for a worker: {@code url} as written, without the trailing slash of a path that is just '/'. */
    public static String name(String url, URI uri) {
        String name = url.trim();
        return name.endsWith("/") && "/".equals(uri.getRawPath()) ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * {@code url} parsed as a backend's URL: http, https, ws or wss, with a host, without a query or fragment.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code url}, quoted, and what is allowed
     */
    public static URI backendUri(String url) {
        String u = url == null ? "" : url.trim();
        String noScheme = "'" + u + "' has no scheme: " + WRITE;
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(u.contains("://") ? "'" + u + "' is not a URL (" + e.getReason() + "): "
                    + WRITE : noScheme);
        }
        String scheme = uri.getScheme();
        boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme) || isWebSocketScheme(scheme);
        // "localhost:8081/" parses as scheme "localhost" with an opaque part: the author left out the scheme
        if (scheme == null || (!http && uri.isOpaque())) {
            throw new IllegalArgumentException(noScheme);
        }
        if (!http) {
            throw new IllegalArgumentException("'" + u + "': scheme " + scheme + ":// is not supported; use http://, https://, ws:// or wss://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + u + "' has no host"
                    + (uri.getRawAuthority() == null ? "" : " ('" + uri.getRawAuthority() + "' is not a valid host name)")
                    + ": write " + scheme + "://host[:port][/path]");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + u + "' must not have a query or fragment");
        }
        return uri;
    }
}
