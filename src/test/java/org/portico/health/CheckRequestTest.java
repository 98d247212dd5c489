package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portico.config.HealthCheck;
import org.portico.config.SourceLocation;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/** The request bytes, as recorded from httpd 2.4 (Debian) with a socket recorder behind each member. */
class CheckRequestTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // member URL                | hcmethod | hcuri     | bytes httpd sent (\\r\\n written as |)
            "http://127.0.0.3:18991/app  | GET      |           | GET /app HTTP/1.0",
            "http://127.0.0.8:18991/     | GET      |           | GET / HTTP/1.0",
            "http://127.0.0.4:18991/     | HEAD     | /s        | HEAD ///s HTTP/1.0",
            "http://127.0.0.5:18991/app2 | GET11    | /hc?x=1   | GET /app2//hc?x=1 HTTP/1.1",
            "http://localhost:18991/opt  | OPTIONS  | /ignored  | OPTIONS * HTTP/1.0",
            "http://127.0.0.6:18991/n    | HEAD11   | s         | HEAD /n/s HTTP/1.1",
            "http://127.0.0.7:18991      | GET      | /h        | GET /h HTTP/1.0",
            "http://127.0.0.9:18991/x/   | GET      | h         | GET /x//h HTTP/1.0",
            "http://example:80           | OPTIONS11|           | OPTIONS * HTTP/1.1",
            // httpd sends 'GET  HTTP/1.0' here (an empty target); Portico sends '/'
            "http://127.0.0.2:18991      | GET      |           | GET / HTTP/1.0"})
    void sendsWhatHttpdSends(String url, String method, String hcuri, String requestLine) {
        WorkerConfig member = new WorkerConfig(url, URI.create(url), WorkerParams.defaults(), SourceLocation.unknown("t"));
        HealthCheck hc = new HealthCheck(method, hcuri == null ? "" : hcuri, Duration.ofSeconds(1), 1, 1, "");
        URI u = URI.create(url);
        String host = u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort());
        assertEquals(requestLine + "\r\nHost: " + host + "\r\n\r\n",
                new String(CheckRequest.of(member, hc).bytes(), StandardCharsets.ISO_8859_1));
    }
}
