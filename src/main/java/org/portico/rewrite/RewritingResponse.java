package org.portico.rewrite;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/** A client response whose header values pass through {@link #rewrite} as the proxy sets them. */
abstract class RewritingResponse extends HttpServletResponseWrapper {

    RewritingResponse(HttpServletResponse p2c) {
        super(p2c);
    }

    /** The value to set instead of {@code value} for header {@code name} (any case); never null for a non-null value. */
    abstract String rewrite(String name, String value);

    @Override
    public void addHeader(String name, String value) {
        super.addHeader(name, name == null || value == null ? value : rewrite(name, value));
    }

    @Override
    public void setHeader(String name, String value) {
        super.setHeader(name, name == null || value == null ? value : rewrite(name, value));
    }
}
