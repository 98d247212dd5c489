package org.portico.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.balancer.LbMethods;
import org.portico.proxy.Gateway;
import org.portico.proxy.ProxyServlet;

/** The filters as a container drives them: init from the servlet context, then the proxy setting headers. */
class RewriteFiltersTest {

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        gateways.forEach(Gateway::close);
    }

    /** No pass rules, so the gateways built here start no HTTP clients. */
    private static final String DESCRIPTOR = """
            <reverse path="/app/" url="http://127.0.0.1:8091/"/>
            <reverse-cookie-path from="/" to="/app/"/>
            <reverse-cookie-domain from="127.0.0.1" to="front.example"/>
            """;

    @Test
    void locationLikeHeadersAreMappedAndDatesNormalisedWhateverTheCaseOfTheName() throws Exception {
        ReverseLocationFilter filter = new ReverseLocationFilter();
        filter.init(config("reverse-location", "", DESCRIPTOR));
        Recorded r = run(filter, request("http", "front.example", 8080, "", "/app/x"), p2c -> {
            p2c.addHeader("location", "http://127.0.0.1:8091/a");
            p2c.setHeader("Content-Location", "http://127.0.0.1:8091/b");
            p2c.addHeader("URI", "http://127.0.0.1:8091/c");
            p2c.addHeader("DESTINATION", "http://127.0.0.1:8091/d");
            p2c.addHeader("Location", "http://unknown.example/e");
            p2c.setHeader("Date", "Sunday, 06-Nov-94 08:49:37 GMT");
            p2c.addHeader("expires", "0");
            p2c.addHeader("Last-Modified", "Sun Nov  6 08:49:37 1994");
            p2c.addHeader("X-Location", "http://127.0.0.1:8091/f");
            p2c.addHeader("Set-Cookie", "a=1; path=/");
            p2c.setHeader("Location", null);
        });
        assertEquals(List.of(
                "add location: http://front.example:8080/app/a",
                "set Content-Location: http://front.example:8080/app/b",
                "add URI: http://front.example:8080/app/c",
                "add DESTINATION: http://front.example:8080/app/d",
                "add Location: http://unknown.example/e",
                "set Date: Sun, 06 Nov 1994 08:49:37 GMT",
                "add expires: 0",
                "add Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT",
                "add X-Location: http://127.0.0.1:8091/f",
                "add Set-Cookie: a=1; path=/",
                "set Location: null"), r.headers);
    }

    @Test
    void cookiesAreMappedWithTheContextPathAndOtherHeadersLeftAlone() throws Exception {
        ReverseCookieFilter filter = new ReverseCookieFilter();
        filter.init(config("reverse-cookie", "/gateway", DESCRIPTOR));
        Recorded r = run(filter, request("http", "front.example", 80, "/gateway", "/app/x"), p2c -> {
            p2c.addHeader("Set-Cookie", "a=1; Path=/; Domain=127.0.0.1; HttpOnly");
            p2c.addHeader("set-cookie", "b=2; path=/x");
            p2c.setHeader("SET-COOKIE", "c=3");
            p2c.addHeader("Location", "http://127.0.0.1:8091/a");
        });
        assertEquals(List.of(
                "add Set-Cookie: a=1; Path=/gateway/app/; Domain=front.example; HttpOnly",
                "add set-cookie: b=2; path=/gateway/app/",
                "set SET-COOKIE: c=3",
                "add Location: http://127.0.0.1:8091/a"), r.headers);
    }

    @Test
    void theBalancerManagerIsPassedThroughUnwrapped() throws Exception {
        for (ResponseRewriteFilter filter : List.of(new ReverseLocationFilter(), new ReverseCookieFilter())) {
            filter.init(config("rewrite", "", DESCRIPTOR));
            for (String path : List.of("/balancer-manager", "/balancer-manager/", "/balancer-manager/x")) {
                Recorded r = run(filter, request("http", "front", 80, "", path), p2c -> {
                    p2c.addHeader("Location", "http://127.0.0.1:8091/a");
                    p2c.addHeader("Set-Cookie", "a=1; path=/");
                });
                assertSame(r.original, r.seen, path);
                assertEquals(List.of("add Location: http://127.0.0.1:8091/a", "add Set-Cookie: a=1; path=/"), r.headers);
            }
            Recorded other = run(filter, request("http", "front", 80, "", "/balancer-managerx"), p2c -> { });
            assertNotSame(other.original, other.seen);
        }
    }

    @Test
    void withoutCookieRulesTheCookieFilterDoesNotWrap() throws Exception {
        ReverseCookieFilter filter = new ReverseCookieFilter();
        filter.init(config("reverse-cookie", "", "<reverse path=\"/\" url=\"http://127.0.0.1:8091/\"/>"));
        Recorded r = run(filter, request("http", "front", 80, "", "/x"), p2c -> { });
        assertSame(r.original, r.seen);
    }

    @Test
    void initFailsClearlyWithoutAGateway() {
        FilterConfig config = filterConfig("reverse-location", context("", Map.of()));
        ServletException e = assertThrows(ServletException.class, () -> new ReverseLocationFilter().init(config));
        assertTrue(e.getMessage().startsWith("reverse-location: Portico did not start: no gateway"), e.getMessage());
    }

    @Test
    void initRefusesARuleWithALineBreak() throws Exception {
        FilterConfig config = config("reverse-cookie", "", "<reverse-cookie-domain from=\"a\" to=\"b&#10;c\"/>");
        ServletException e = assertThrows(ServletException.class, () -> new ReverseCookieFilter().init(config));
        assertTrue(e.getMessage().startsWith("reverse-cookie: reverse-cookie-domain from='a' to='bc'"), e.getMessage());
    }

    @Test
    void frontIsWhatTheClientUsed() {
        assertEquals("http://h", ReverseLocationFilter.front(request("http", "h", 80, "", "/")));
        assertEquals("https://h", ReverseLocationFilter.front(request("HTTPS", "h", 443, "", "/")));
        assertEquals("https://h:80/gateway", ReverseLocationFilter.front(request("https", "h", 80, "/gateway", "/")));
        assertEquals("http://h:8443", ReverseLocationFilter.front(request("http", "h", 8443, "", "/")));
        assertEquals("http://[::1]:8080", ReverseLocationFilter.front(request("http", "::1", 8080, "", "/")));
        assertEquals("http://[::1]:8080", ReverseLocationFilter.front(request("http", "[::1]", 8080, "", "/")));
    }

    // ------------------------------------------------------------------ a container in miniature

    /** What the chain saw: the response it was given, and the header calls that reached the container. */
    private static final class Recorded {
        final List<String> headers = new ArrayList<>();
        HttpServletResponse original;
        ServletResponse seen;
    }

    private interface Proxying {
        void setHeaders(HttpServletResponse p2c);
    }

    private static Recorded run(ResponseRewriteFilter filter, HttpServletRequest c2p, Proxying proxy) throws Exception {
        Recorded r = new Recorded();
        r.original = (HttpServletResponse) Proxy.newProxyInstance(RewriteFiltersTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "addHeader": r.headers.add("add " + args[0] + ": " + args[1]); return null;
                        case "setHeader": r.headers.add("set " + args[0] + ": " + args[1]); return null;
                        case "toString": return "stub " + method.getDeclaringClass().getSimpleName();
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
        filter.doFilter(c2p, r.original, (req, res) -> {
            r.seen = res;
            proxy.setHeaders((HttpServletResponse) res);
        });
        return r;
    }

    private static HttpServletRequest request(String scheme, String host, int port, String contextPath, String path) {
        return (HttpServletRequest) Proxy.newProxyInstance(RewriteFiltersTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "getScheme": return scheme;
                        case "getServerName": return host;
                        case "getServerPort": return port;
                        case "getContextPath": return contextPath;
                        case "getServletPath": return path;
                        case "getPathInfo": return null;
                        case "toString": return "stub " + method.getDeclaringClass().getSimpleName();
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private FilterConfig config(String name, String contextPath, String elements) throws Exception {
        Gateway gateway = new Gateway(Descriptors.load(elements), LbMethods.discover(getClass().getClassLoader()));
        gateways.add(gateway);
        return filterConfig(name, context(contextPath, Map.of(ProxyServlet.GATEWAY, new org.portico.proxy.LiveGateway(gateway))));
    }

    private static ServletContext context(String contextPath, Map<String, Object> attributes) {
        Map<String, Object> attrs = new HashMap<>(attributes);
        return (ServletContext) Proxy.newProxyInstance(RewriteFiltersTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "getAttribute": return attrs.get(args[0]);
                        case "getContextPath": return contextPath;
                        case "toString": return "stub " + method.getDeclaringClass().getSimpleName();
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static FilterConfig filterConfig(String name, ServletContext context) {
        return (FilterConfig) Proxy.newProxyInstance(RewriteFiltersTest.class.getClassLoader(),
                new Class<?>[] {FilterConfig.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "getFilterName": return name;
                        case "getServletContext": return context;
                        case "toString": return "stub " + method.getDeclaringClass().getSimpleName();
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
