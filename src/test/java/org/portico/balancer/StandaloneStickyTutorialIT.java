package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.PorticoProcess;

/**
 * The sticky-session tutorial (seed configuration 1, {@code ProxyPassMatch ^(/.*)$ balancer://mycluster$1}) run
 * end to end by the standalone jar, twice: as the shipped {@code examples/sticky-route-cookie.xml} and as the
 * tutorial's httpd configuration through {@code --httpd-config}. The backends answer with their names; the
 * application's cookie {@code BALANCEID=balancer.nodeN} carries the route.
 */
class StandaloneStickyTutorialIT {

    private static final String HTTPD_CONF = """
            <Proxy balancer://mycluster>
              BalancerMember http://192.168.1.101:8080 route=node1
              BalancerMember http://192.168.1.102:8080 route=node2
              ProxySet stickysession=BALANCEID
            </Proxy>
            ProxyPassMatch ^(/.*)$ balancer://mycluster$1
            ProxyPassReverse / http://192.168.1.101:8080/
            ProxyPassReverse / http://192.168.1.102:8080/
            ProxyPassReverseCookieDomain 192.168.1.101 localhost
            ProxyPassReverseCookieDomain 192.168.1.102 localhost
            """;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void theShippedExampleProxiesStickilyAndRewritesRedirectsAndCookies() throws Exception {
        try (Backend node1 = Backend.start("node1"); Backend node2 = Backend.start("node2")) {
            String example = Files.readString(Path.of("examples", "sticky-route-cookie.xml"))
                    .replace("http://127.0.0.1:8081", node1.origin())
                    .replace("http://127.0.0.1:8082", node2.origin());
            Path descriptor = Files.writeString(dir.resolve("sticky-route-cookie.xml"), example);
            try (PorticoProcess portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0")) {
                assertTheTutorialWorks(portico, node1, node2);
            }
        }
    }

    @Test
    @Timeout(120)
    void theTutorialsHttpdConfigurationProxiesStickilyAndRewritesRedirectsAndCookies() throws Exception {
        try (Backend node1 = Backend.start("node1"); Backend node2 = Backend.start("node2")) {
            // two addresses of the guide on one loopback address: the cookie domain of both becomes 127.0.0.1
            String conf = HTTPD_CONF.replace("http://192.168.1.101:8080", node1.origin())
                    .replace("http://192.168.1.102:8080", node2.origin())
                    .replace("192.168.1.101", "127.0.0.1").replace("192.168.1.102", "127.0.0.1");
            Path file = Files.writeString(dir.resolve("sticky.conf"), conf);
            try (PorticoProcess portico = PorticoProcess.start(List.of(), "--httpd-config", file.toString(), "--port", "0")) {
                assertTheTutorialWorks(portico, node1, node2);
            }
        }
    }

    private static void assertTheTutorialWorks(PorticoProcess portico, Backend node1, Backend node2) throws Exception {
        String front = portico.awaitUrl(Duration.ofSeconds(60));
        String base = front.endsWith("/") ? front.substring(0, front.length() - 1) : front;

        // without a session, byrequests alternates; $1 is the whole path, after the members' empty paths
        HttpResponse<String> first = Http.get(URI.create(base + "/name"));
        HttpResponse<String> second = Http.get(URI.create(base + "/name"));
        assertEquals(200, first.statusCode(), first.body() + portico.output());
        assertEquals(200, second.statusCode(), second.body() + portico.output());
        assertNotEquals(first.body(), second.body(), "two requests without a session go to both members");
        assertEquals("/name", node1.onlyRequestUnder("/name").path());
        assertEquals("/name", node2.onlyRequestUnder("/name").path());

        // the application's cookie pins the session to the member of its route
        for (String route : List.of("node2", "node1", "node2")) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = Http.get(URI.create(base + "/name?i=" + i), "Cookie", "BALANCEID=balancer." + route);
                assertEquals(200, r.statusCode(), r.body() + portico.output());
                assertEquals(route, r.body(), "BALANCEID=balancer." + route);
            }
        }

        // ProxyPassReverse: a member's redirect to its own URL comes back as the proxy's URL
        HttpResponse<String> redirect = Http.get(URI.create(base + "/redirect?to="
                + URLEncoder.encode(node2.origin() + "/landing", StandardCharsets.UTF_8)), "Cookie", "BALANCEID=balancer.node2");
        assertEquals(302, redirect.statusCode(), redirect.body() + portico.output());
        assertEquals(base + "/landing", redirect.headers().firstValue("Location").orElse(""), redirect.headers().toString());

        // ProxyPassReverseCookieDomain: the member's domain becomes localhost
        HttpResponse<String> login = Http.get(URI.create(base + "/setcookie?"
                + URLEncoder.encode("BALANCEID=balancer.node1; Domain=127.0.0.1; Path=/", StandardCharsets.UTF_8)),
                "Cookie", "BALANCEID=balancer.node1");
        assertEquals(200, login.statusCode(), login.body() + portico.output());
        assertEquals("node1", login.headers().firstValue("X-Backend").orElse(""));
        String setCookie = login.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(setCookie.contains("Domain=localhost"), setCookie);
        assertTrue(setCookie.startsWith("BALANCEID=balancer.node1"), setCookie);
    }
}
