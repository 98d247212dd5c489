package org.portico.config;

import java.net.URI;

/**
 * One backend origin URL with its parameters: a balancer member or a direct target.
 *
 * @param name the URL as written, without a trailing slash when it has no path (httpd's name)
 * @param uri the parsed URL; scheme is http or https and a host is present
 */
public record WorkerConfig(String name, URI uri, WorkerParams params, SourceLocation where) {

    public String scheme() {
        return uri.getScheme();
    }

    public String host() {
        return uri.getHost();
    }

    /** The port, with the scheme's default filled in. */
    public int port() {
        int p = uri.getPort();
        return p >= 0 ? p : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The path part of the URL ({@code /modules} for {@code http://h/modules}), possibly empty. */
    public String path() {
        String p = uri.getRawPath();
        return p == null ? "" : p;
    }

    public WorkerConfig withParams(WorkerParams newParams) {
        return new WorkerConfig(name, uri, newParams, where);
    }
}
