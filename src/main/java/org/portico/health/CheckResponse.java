package org.portico.health;

import java.util.Locale;
import java.util.Map;

/**
 * What a health check's request got back, as {@link HcExpression} sees it: the status, the response
 * headers (names lower-cased, first value of each) and the body (empty for HEAD and OPTIONS).
 */
public record CheckResponse(int status, Map<String, String> headers, String body) {

    public CheckResponse {
        headers = Map.copyOf(headers);
    }

    /** httpd's {@code resp('Name')}: the header's first value, or empty. */
    public String header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
}
