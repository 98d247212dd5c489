package org.portico.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * One backend origin URL with its parameters: a balancer member or a direct target.
 *
 * @param name the URL as written, without a trailing slash when it has no path (httpd's name)
 * @param uri the parsed URL; its scheme is a {@link BackendScheme} and a host is present
 */
public record WorkerConfig(String name, URI uri, WorkerParams params, SourceLocation where) {

    private static final String WRITE = "write http://host[:port][/path] or https://host[:port][/path]";

    public String scheme() {
        return uri.getScheme();
    }

    /** The scheme as a backend protocol speaks it. */
    public BackendScheme backendScheme() {
        return BackendScheme.of(uri.getScheme()).orElseThrow();
    }

    public String host() {
        return uri.getHost();
    }

    /** Whether the backend is reached over TLS (https://, wss://, h2://). */
    public boolean secure() {
        return backendScheme().secure();
    }

    /** The protocols this worker tunnels: its {@code upgrade} parameter, else websocket for ws:// and wss://. */
    public UpgradeProtocols upgrade() {
        UpgradeProtocols u = params.upgrade();
        return u.enabled() || !backendScheme().webSocket() ? u : UpgradeProtocols.WEBSOCKET;
    }

    /** The port, with the scheme's default filled in. */
    public int port() {
        int p = uri.getPort();
        return p >= 0 ? p : backendScheme().defaultPort();
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
     * {@code url} parsed as a backend's URL: of a {@link BackendScheme}, with a host, without a query or fragment.
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
        boolean known = BackendScheme.of(scheme).isPresent();
        // "localhost:8081/" parses as scheme "localhost" with an opaque part: the author left out the scheme
        if (scheme == null || (!known && uri.isOpaque())) {
            throw new IllegalArgumentException(noScheme);
        }
        if (!known) {
            throw new IllegalArgumentException("'" + u + "': scheme " + scheme + ":// is not supported; use one of "
                    + BackendScheme.listed());
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
