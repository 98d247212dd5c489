package org.portico.manager;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The balancer-manager as a script uses it: HTTP Basic login, GET of the page, XML or JSON, and POSTs
 * of httpd's form fields or of JSON, with or without an Origin or Referer.
 */
final class ManagerClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** {@code http://127.0.0.1:port} (no trailing slash). */
    final String origin;
    final String manager;
    private final String authorization;

    /** @param base Portico's base URL as printed ({@code http://127.0.0.1:port/}) */
    ManagerClient(String base, String user, String password) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.origin = b;
        this.manager = b + "/balancer-manager";
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    ManagerClient as(String user, String password) {
        return new ManagerClient(origin + "/", user, password);
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(origin + pathAndQuery)).timeout(Duration.ofSeconds(20));
        return send(r, headers);
    }

    /** The manager's JSON status, parsed. */
    @SuppressWarnings("unchecked")
    Map<String, Object> status() throws Exception {
        HttpResponse<String> r = get("/balancer-manager", "Accept", "application/json");
        if (r.statusCode() != 200) {
            throw new AssertionError("JSON status: " + r.statusCode() + " " + r.body());
        }
        return (Map<String, Object>) Json.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> balancer(String b) throws Exception {
        for (Object o : (List<Object>) status().get("balancers")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (b.equals(m.get("b"))) {
                return m;
            }
        }
        throw new AssertionError("no balancer " + b);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> worker(String b, String url) throws Exception {
        for (Object o : (List<Object>) balancer(b).get("workers")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (url.equals(m.get("name"))) {
                return m;
            }
        }
        return null;
    }

    String nonce(String b) throws Exception {
        return (String) balancer(b).get("nonce");
    }

    /** A form POST from the manager's own page: Origin set to this server. */
    HttpResponse<String> post(String... fields) throws Exception {
        return postWith(List.of("Origin", origin), fields);
    }

    /** A form POST with exactly the extra headers given (name, value, ...). */
    HttpResponse<String> postWith(List<String> headers, String... fields) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(manager)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        return send(r, headers.toArray(String[]::new));
    }

    HttpResponse<String> postJson(String json, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(manager)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(r, headers);
    }

    static String form(String... fields) {
        StringJoiner j = new StringJoiner("&");
        for (int i = 0; i < fields.length; i += 2) {
            j.add(URLEncoder.encode(fields[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return j.toString();
    }

    private HttpResponse<String> send(HttpRequest.Builder r, String... headers) throws Exception {
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
