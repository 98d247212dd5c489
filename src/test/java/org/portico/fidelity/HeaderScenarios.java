package org.portico.fidelity;

import static org.portico.fidelity.Scenario.of;
import static org.portico.fidelity.Send.get;
import static org.portico.fidelity.Send.head;
import static org.portico.fidelity.Send.post;
import static org.portico.fidelity.Send.raw;
import static org.portico.fidelity.Send.request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Request and response headers, status lines and request framing through a plain worker. */
final class HeaderScenarios {

    private HeaderScenarios() {
    }

    static List<FrontConfig> configs() {
        return List.of(FrontConfig.of("headers", "one worker and the canned backend", """
                ProxyPass /h/ {b1}/
                ProxyPass /c/ {canned}/
                """, scenarios()), FrontConfig.of("limits", "request head limits other than httpd's defaults", """
                LimitRequestLine 10000
                LimitRequestFieldSize 16380
                LimitRequestFields 10
                ProxyPass /h/ {b1}/
                ProxyPass /c/ {canned}/
                """, limitScenarios()));
    }

    private static Scenario[] limitScenarios() {
        String tenFields = "GET /h/name/ten HTTP/1.1\r\nHost: {front}\r\n" + Send.USER_AGENT + "\r\n"
                + "X-F: 1\r\n".repeat(8) + "\r\n";
        List<Scenario> all = new ArrayList<>(lineBoundaries("lim", 10000, 16380));
        all.add(of("lim.fields-10", "LimitRequestFields 10: ten field lines pass", raw(tenFields)));
        all.add(of("lim.fields-11", "LimitRequestFields 10: eleven field lines get 400",
                raw(tenFields.replace("\r\n\r\n", "\r\nX-G: 2\r\n\r\n"))));
        return all.toArray(Scenario[]::new);
    }

    /**
     * The request line and a field line at LimitRequestLine {@code line} and LimitRequestFieldSize {@code field}:
     * httpd lets a line one byte longer than its limit through and refuses one two bytes longer (414, 400).
     */
    private static List<Scenario> lineBoundaries(String prefix, int line, int field) {
        List<Scenario> all = new ArrayList<>();
        for (int length : new int[] {field + 1, field + 2}) {
            all.add(of(prefix + ".field-" + length, "LimitRequestFieldSize " + field + ": a field line of " + length
                    + " bytes " + (length == field + 1 ? "passes" : "gets 400 and its page"),
                    get("/h/name/f" + length).with("X-Big: " + "a".repeat(length - 7))));
        }
        for (int length : new int[] {line + 1, line + 2}) {
            // "GET " + target + " HTTP/1.1": 13 bytes around the target
            all.add(of(prefix + ".line-" + length, "LimitRequestLine " + line + ": a request line of " + length
                    + " bytes " + (length == line + 1 ? "passes" : "gets 414 and its page"),
                    raw("GET /c/" + "a".repeat(length - 13 - 3) + " HTTP/1.1\r\nHost: {front}\r\n" + Send.USER_AGENT
                            + "\r\n\r\n")));
        }
        return all;
    }

    private static Scenario[] scenarios() {
        String manyFields = "X-F: 1\r\n".repeat(101);
        Send bigHead = get("/h/name/big-head");
        for (int i = 10; i < 17; i++) {
            bigHead = bigHead.with("X-F" + i + ": " + "a".repeat(7993)); // 7 field lines of 8,000 bytes
        }
        Send hugeHead = get("/h/name/huge-head");
        for (int i = 10; i < 107; i++) {
            hugeHead = hugeHead.with("X-F" + i + ": " + "a".repeat(7993)); // 97 field lines of 8,000 bytes
        }
        List<Scenario> all = new ArrayList<>(List.of(
            of("h.basic", "what a backend receives for a plain GET", get("/h/name/basic")),
            of("h.no-user-agent", "no User-Agent is added (§12.17)", get("/h/name/ua").without("User-Agent")),
            of("h.host-name", "a Host name shows in X-Forwarded-Host",
                    get("/h/name/host").without("Host").with("Host: www.example.test")),
            of("h.no-host", "HTTP/1.1 without Host gets 400",
                    raw("GET /h/name/nohost HTTP/1.1\r\n" + Send.USER_AGENT + "\r\n\r\n")).statusOnly(),
            of("h.xff-append", "X-Forwarded-For is appended to", get("/h/name/xff").with("X-Forwarded-For: 10.0.0.1")),
            of("h.xfh-append", "X-Forwarded-Host and -Server are appended to",
                    get("/h/name/xfh").with("X-Forwarded-Host: a.example").with("X-Forwarded-Server: b.example")),
            of("h.cookie-twice", "two Cookie headers (§12.3)", get("/h/name/c").with("Cookie: a=1").with("Cookie: b=2")),
            of("h.repeated-header", "a header repeated", get("/h/name/r").with("X-Multi: 1").with("X-Multi: 2")),
            of("h.hop-by-hop", "hop-by-hop headers and the ones Connection names are not forwarded",
                    get("/h/name/hop").with("Connection: X-Secret, keep-alive").with("X-Secret: 1")
                            .with("Keep-Alive: timeout=5").with("Proxy-Connection: keep-alive").with("X-Kept: yes")),
            of("h.upgrade-te", "Upgrade and TE: trailers from a client",
                    get("/h/name/up").with("Connection: Upgrade, TE").with("Upgrade: foo/1").with("TE: trailers")),
            of("h.max-forwards", "Max-Forwards is decremented (§12.8)", get("/h/name/mf").with("Max-Forwards: 5")),
            of("h.max-forwards-zero", "Max-Forwards: 0 on a GET gets 400 (§12.8)",
                    get("/h/name/mf0").with("Max-Forwards: 0")).statusOnly(),
            of("h.max-forwards-zero-page", "the page for Max-Forwards: 0",
                    get("/h/name/mf0").with("Max-Forwards: 0")).strict(Normaliser.CONTENT_TYPE_SPACING),
            of("h.max-forwards-zero-options", "OPTIONS with Max-Forwards: 0 is answered by the proxy (§12.8)",
                    request("OPTIONS", "/h/name/mfo").with("Max-Forwards: 0")),
            of("h.max-forwards-bad", "a non-numeric Max-Forwards gets 400 (§12.8)",
                    get("/h/name/mfx").with("Max-Forwards: abc")).statusOnly(),
            of("h.too-many-fields", "101 header fields get 400 and its page (§12.25)",
                    raw("GET /h/name/many HTTP/1.1\r\nHost: {front}\r\n" + manyFields + "\r\n")),
            of("h.big-head", "7 field lines of 8,000 bytes, a 56 KB head, pass (Jetty's own default refuses over 8 KiB)",
                    bigHead),
            of("h.huge-head", "97 field lines of 8,000 bytes, a 776 KB head, pass httpd: it bounds each line and the count",
                    hugeHead).statusOnly(),
            of("h.expect", "Expect: 100-continue is forwarded (§12.13)",
                    post("/h/echo-body", "hello").with("Expect: 100-continue")),
            of("r.content-type", "Content-Type passes byte for byte (§12.22)", get("/c/content-type"))
                    .strict(Normaliser.CONTENT_TYPE_SPACING),
            of("r.content-type-jetty", "a Jetty backend's Content-Type", get("/h/name/ct"))
                    .strict(Normaliser.CONTENT_TYPE_SPACING),
            of("r.reason-custom", "599 Custom Reason passes (§12.22)", get("/c/reason")),
            of("r.reason-fine", "200 Fine Thanks passes (§12.22)", get("/c/fine")),
            of("r.reason-ise", "a backend's 500 Internal Server Error", get("/c/ise")),
            of("r.status-204", "204 gains no Content-Length (§12.21)", get("/h/status/204")),
            of("r.status-304", "304 gains no Content-Length (§12.21)", get("/h/status/304")),
            of("r.head", "HEAD of a response with a length", head("/h/name/head")),
            of("r.head-empty-302", "HEAD of an empty 302 (§12.14)", head("/c/empty-302")),
            of("r.hop-by-hop", "a backend's hop-by-hop headers are dropped", get("/h/hop-by-hop")),
            of("r.interim-103", "103 Early Hints before the answer", get("/c/early-hints")),
            of("r.interim-102", "102 Processing before the answer", get("/c/processing")),
            of("r.dates", "Expires: 0 passes, old date formats (§12.15)", get("/c/dates")),
            of("r.no-length", "a body that ends with the connection", get("/c/no-length")),
            of("r.many-headers", "150 response headers pass (§12.25)", get("/c/many-headers")),
            of("r.backend-404", "a backend's 404 and its page", get("/h/status/404")),
            of("r.backend-503", "a backend's 503 and its page", get("/h/status/503")),
            of("r.big", "100,000 bytes with Content-Length", get("/h/big?bytes=100000")),
            of("r.big-chunked", "100,000 bytes chunked", get("/h/big?bytes=100000&chunked=true")),
            of("f.content-length", "a body with Content-Length", post("/h/echo-body", "hello")),
            of("f.chunked-small", "a small chunked body gets a Content-Length (§12.20)",
                    request("POST", "/h/echo-body").chunked("hello world".getBytes(StandardCharsets.UTF_8))),
            of("f.chunked-large", "a 40,000-byte chunked body is streamed (§12.20)",
                    request("POST", "/h/echo-body").chunked("x".repeat(40_000).getBytes(StandardCharsets.UTF_8))),
            of("f.large-content-length", "a 100,000-byte body with Content-Length",
                    post("/h/echo-body", "y".repeat(100_000))),
            of("f.empty-post", "a POST with Content-Length: 0", post("/h/echo-body", "")),
            of("f.get-with-body", "a GET with a body", get("/h/echo-body").withBody("abcd".getBytes(StandardCharsets.UTF_8))),
            of("f.cl-and-te", "Content-Length and Transfer-Encoding together",
                    raw("POST /h/echo-body HTTP/1.1\r\nHost: {front}\r\n" + Send.USER_AGENT + "\r\nContent-Length: 4\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n")).statusOnly(),
            of("f.te-gzip", "Transfer-Encoding: gzip gets 400 (§12.15)",
                    raw("POST /h/echo-body HTTP/1.1\r\nHost: {front}\r\n" + Send.USER_AGENT
                            + "\r\nTransfer-Encoding: gzip\r\n\r\nabcd")).statusOnly(),
            of("f.two-lengths", "two different Content-Lengths get 400 (§12.15)",
                    raw("POST /h/echo-body HTTP/1.1\r\nHost: {front}\r\n" + Send.USER_AGENT
                            + "\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde")).statusOnly(),
            of("f.length-leading-zero", "Content-Length: 010 is read as 10 (§12.15)",
                    raw("POST /h/echo-body HTTP/1.1\r\nHost: {front}\r\n" + Send.USER_AGENT
                            + "\r\nContent-Length: 010\r\n\r\n0123456789"))));
        all.addAll(lineBoundaries("h", 8190, 8190));
        return all.toArray(Scenario[]::new);
    }
}
