package org.portico.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One request exactly as a test backend received it.
 *
 * @param backend the name of the backend that received it
 * @param target the request-target as sent on the request line (raw path and query, still %-encoded)
 * @param headers the header fields in the order received, duplicates kept
 * @param body the body bytes after de-chunking
 */
public record RecordedRequest(String backend, String method, String target, List<Field> headers, byte[] body) {

    /** One header field. */
    public record Field(String name, String value) {
        boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    public RecordedRequest {
        headers = List.copyOf(headers);
    }

    /** The path part of the target, raw. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The raw query, or null when the target has none. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    /** Every value of {@code name}, one per field line, in order. */
    public List<String> headers(String name) {
        return headers.stream().filter(f -> f.is(name)).map(Field::value).toList();
    }

    /** The first value of {@code name}, or null. */
    public String header(String name) {
        return headers.stream().filter(f -> f.is(name)).map(Field::value).findFirst().orElse(null);
    }

    /** All values of {@code name} joined with ", ", which HTTP treats as the same as separate lines; null when absent. */
    public String combined(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    public boolean has(String name) {
        return header(name) != null;
    }

    /** Header names, lower-cased, in the order received. */
    public List<String> headerNames() {
        return headers.stream().map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return backend + ": " + method + " " + target + " " + headers.stream()
                .map(f -> f.name() + ": " + f.value()).collect(Collectors.joining(" | ", "[", "]"))
                + " body " + body.length + " bytes";
    }
}
