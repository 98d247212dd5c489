package org.portico.proxy;

import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.portico.backend.ClientConnection;
import org.portico.config.WorkerConfig;

/**
 * The request Portico sends to a backend. It carries only the headers {@link RequestHeaders} copied: the
 * minimal HttpClient's fixed protocol processor adds {@code User-Agent: Apache-HttpAsyncClient/...} to a
 * request that has none (its {@code RequestUserAgent} asks {@link #containsHeader}), and httpd adds nothing
 * (spec section 12 item 17). The processor cannot be configured on that client, so this request says it
 * has one.
 */
final class BackendRequest extends BasicHttpRequest implements ClientConnection.Carrier {

    private static final long serialVersionUID = 1L;

    /** Set for backends that carry the client's connection in their own fields (AJP). */
    private transient volatile ClientConnection client;

    /** {@code method} {@code path} to {@code worker}: scheme and authority go to HTTP/2's pseudo-headers. */
    BackendRequest(String method, WorkerConfig worker, String path) {
        super(method, new HttpHost(worker.backendScheme().secure() ? "https" : "http", worker.host(), worker.port()), path);
    }

    @Override
    public ClientConnection client() {
        return client;
    }

    void client(ClientConnection c) {
        this.client = c;
    }

    @Override
    public boolean containsHeader(String name) {
        return HttpHeaders.USER_AGENT.equalsIgnoreCase(name) || super.containsHeader(name);
    }
}
