/**
 * How exchanges reach backends: one {@link org.portico.backend.BackendChannel} per worker, opened by the
 * {@link org.portico.backend.BackendProtocol} that speaks its scheme, each protocol in a package of its own
 * ({@code backend.http}: HTTP/1.1 and HTTP/2). The proxy's exchange calls every channel the same way; this
 * package knows nothing of servlets.
 */
package org.portico.backend;
