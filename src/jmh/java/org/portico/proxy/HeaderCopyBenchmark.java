package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.portico.config.ProxySettings;
import org.portico.config.SourceLocation;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * Copying a browser-like request's headers to the backend request (hop-by-hop removal, Host,
 * X-Forwarded-*) and a backend response's headers to the client. The servlet request and response are
 * plain header tables (no container), so the figure is Portico's own work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderCopyBenchmark {

    private final ProxySettings settings = ProxySettings.defaults();
    private final WorkerConfig worker = new WorkerConfig("http://127.0.0.1:8081", URI.create("http://127.0.0.1:8081"),
            WorkerParams.defaults(), SourceLocation.unknown("bench"));
    private final ResponseHeaders responseHeaders = new ResponseHeaders(settings, "proxy.example");
    private final HttpServletRequest c2p = request(headers(
            "Host", "shop.example", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0",
            "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language", "en-GB,en;q=0.5", "Accept-Encoding", "gzip, deflate, br",
            "Connection", "keep-alive", "Cookie", "theme=dark; JSESSIONID=8F3C2A9B7D6E5F4A.node2",
            "Upgrade-Insecure-Requests", "1", "Sec-Fetch-Dest", "document", "Sec-Fetch-Mode", "navigate"));
    private final BasicHttpResponse s2p = new BasicHttpResponse(200);

    public HeaderCopyBenchmark() {
        s2p.addHeader("Server", "nginx");
        s2p.addHeader("Date", "Sat, 21 Nov 2026 09:00:00 GMT");
        s2p.addHeader("Content-Type", "text/html; charset=utf-8");
        s2p.addHeader("Content-Length", "5120");
        s2p.addHeader("Connection", "keep-alive");
        s2p.addHeader("Cache-Control", "no-cache");
        s2p.addHeader("Set-Cookie", "JSESSIONID=8F3C2A9B7D6E5F4A.node2; Path=/; HttpOnly");
        s2p.addHeader("ETag", "\"6543a1b2-1400\"");
    }

    @Benchmark
    public BasicHttpRequest requestHeaders() {
        BasicHttpRequest p2s = new BasicHttpRequest("GET", "/shop/cart");
        RequestHeaders.copy(c2p, p2s, settings, worker, "proxy.example", -1, false);
        return p2s;
    }

    @Benchmark
    public List<String> responseHeaders() {
        List<String> out = new ArrayList<>();
        responseHeaders.copy(s2p, response(out), c2p, 5120);
        return out;
    }

    private static Map<String, List<String>> headers(String... pairs) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            h.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return h;
    }

    private static List<String> lookup(Map<String, List<String>> h, Object name) {
        for (Map.Entry<String, List<String>> e : h.entrySet()) {
            if (e.getKey().equalsIgnoreCase((String) name)) {
                return e.getValue();
            }
        }
        return List.of();
    }

    /** A GET from 192.0.2.10 over HTTP/1.1 on port 80 carrying the given headers. */
    private static HttpServletRequest request(Map<String, List<String>> h) {
        return (HttpServletRequest) Proxy.newProxyInstance(HeaderCopyBenchmark.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> lookup(h, args[0]).isEmpty() ? null : lookup(h, args[0]).get(0);
                    case "getHeaders" -> Collections.enumeration(lookup(h, args[0]));
                    case "getHeaderNames" -> Collections.enumeration(h.keySet());
                    case "getRemoteAddr" -> "192.0.2.10";
                    case "getProtocol" -> "HTTP/1.1";
                    case "getScheme" -> "http";
                    case "getServerPort" -> 80;
                    case "getMethod" -> "GET";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Records every header set or added, as "name: value". */
    private static HttpServletResponse response(List<String> out) {
        return (HttpServletResponse) Proxy.newProxyInstance(HeaderCopyBenchmark.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setHeader", "addHeader" -> out.add(args[0] + ": " + args[1]);
                        case "setStatus" -> out.add("status " + args[0]);
                        case "setContentLengthLong" -> out.add("content-length " + args[0]);
                        default -> throw new UnsupportedOperationException(method.getName().toLowerCase(Locale.ROOT));
                    }
                    return null;
                });
    }
}
