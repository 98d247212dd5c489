package org.portico.config;

/** ProxyPassReverse: a backend URL ({@code url}, possibly {@code balancer://}) seen in a response header maps back to {@code path}. */
public record ReverseRule(String path, String url, SourceLocation where) {
}
