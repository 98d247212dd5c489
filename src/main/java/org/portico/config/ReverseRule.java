package org.portico.config;

/**
 * ProxyPassReverse: a backend URL ({@code url}, possibly {@code balancer://}) seen in a response header maps back to {@code path}.
 *
 * @param target {@code url} split into balancer or worker and path; null when {@code url} is a path ("/x")
 */
public record ReverseRule(String path, String url, BackendTarget target, SourceLocation where) {
}
