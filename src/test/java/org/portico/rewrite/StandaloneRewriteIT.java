package org.portico.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.testkit.Backend.line;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;

/**
 * Response rewriting end to end: two Jetty backends, the standalone jar once at ROOT and once at
 * {@code /gateway}, and a client that does not follow redirects, so the header values it receives
 * are checked exactly.
 */
@Timeout(120)
class StandaloneRewriteIT {

    private static final String ROOT = "";
    private static final String GATEWAY = "/gateway";

    /** Behind {@code /app/} (a direct pass with reverse="true"). */
    private static Backend direct;
    /** The member of both balancers: {@code /bal/} (its root) and {@code /pr45434} (its /modules). */
    private static Backend member;
    private static PorticoProcess atRoot;
    private static PorticoProcess atGateway;
    /** Portico's base URL by context path, e.g. {@code http://127.0.0.1:40123/gateway/}. */
    private static Map<String, String> base;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @BeforeAll
    static void start() throws Exception {
        direct = Backend.start("direct");
        member = Backend.start("member");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="pr45434"><member url="%2$s/modules"/></balancer>
                  <balancer name="cluster"><member url="%2$s/"/></balancer>
                  <pass path="/pr45434" to="balancer://pr45434/alias"/>
                  <pass path="/bal/" to="balancer://cluster/"/>
                  <pass path="/app/" to="%1$s/" reverse="true"/>
                  <pass path="/slash" to="%1$s/"/>
                  <reverse path="/pr45434" url="balancer://pr45434/alias"/>
                  <reverse path="/app/landing/" url="/landing/"/>
                  <reverse-cookie-domain from="local" to="remote"/>
                  <reverse-cookie-domain from="127.0.0.1" to="front.example"/>
                  <reverse-cookie-path from="/local" to="/remote"/>
                  <reverse-cookie-path from="/" to="/app/"/>
                </portico>
                """.formatted(direct.origin(), member.origin()));
        atRoot = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0");
        atGateway = PorticoProcess.start(List.of(), "--config", descriptor.toString(), "--port", "0", "--context", GATEWAY);
        base = Map.of(ROOT, atRoot.awaitUrl(Duration.ofSeconds(60)), GATEWAY, atGateway.awaitUrl(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {atRoot, atGateway, direct, member}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** GET {@code path} (relative to the web app, no leading slash) without following redirects. */
    private HttpResponse<String> get(String context, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.get(context) + path))
                .timeout(Duration.ofSeconds(20)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** What the client used to reach Portico: scheme, host, port and context path, e.g. http://127.0.0.1:40123/gateway. */
    private static String front(String context) {
        String url = base.get(context);
        return url.substring(0, url.length() - 1);
    }

    private static String output(String context) {
        return (ROOT.equals(context) ? atRoot : atGateway).output();
    }

    // ------------------------------------------------------------------ ProxyPassReverse

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void absoluteRedirectToTheBackendComesBackUnderItsPassPath(String context) throws Exception {
        direct.script("/redirect/absolute", 302, line("Location", direct.origin() + "/target/x?y=1"));
        HttpResponse<String> r = get(context, "app/redirect/absolute");
        assertEquals(302, r.statusCode(), output(context));
        assertEquals(List.of(front(context) + "/app/target/x?y=1"), r.headers().allValues("Location"));
    }

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void relativeRedirectMatchedByAPathRuleIsMadeAbsolute(String context) throws Exception {
        direct.script("/redirect/relative", 303, line("Location", "/landing/rel?z=2"));
        HttpResponse<String> r = get(context, "app/redirect/relative");
        assertEquals(303, r.statusCode(), output(context));
        assertEquals(List.of(front(context) + "/app/landing/rel?z=2"), r.headers().allValues("Location"));
    }

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void redirectsNoRuleKnowsAreLeftAlone(String context) throws Exception {
        direct.script("/redirect/elsewhere", 301, line("Location", "http://elsewhere.example/other"));
        direct.script("/redirect/unmapped", 301, line("Location", "/unmapped/x"));
        assertEquals(List.of("http://elsewhere.example/other"),
                get(context, "app/redirect/elsewhere").headers().allValues("Location"));
        assertEquals(List.of("/unmapped/x"), get(context, "app/redirect/unmapped").headers().allValues("Location"));
    }

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void everyLocationLikeHeaderAndEveryOccurrenceIsRewritten(String context) throws Exception {
        direct.script("/headers", 201,
                line("Location", direct.origin() + "/l"),
                line("Content-Location", direct.origin() + "/cl"),
                line("URI", direct.origin() + "/u1"),
                line("URI", "http://elsewhere.example/u2"),
                line("URI", direct.origin() + "/u3"),
                line("Destination", direct.origin() + "/d"),
                line("X-Not-Rewritten", direct.origin() + "/x"));
        HttpResponse<String> r = get(context, "app/headers");
        assertEquals(201, r.statusCode(), output(context));
        String f = front(context);
        assertEquals(List.of(f + "/app/l"), r.headers().allValues("Location"));
        assertEquals(List.of(f + "/app/cl"), r.headers().allValues("Content-Location"));
        assertEquals(List.of(f + "/app/u1", "http://elsewhere.example/u2", f + "/app/u3"), r.headers().allValues("URI"));
        assertEquals(List.of(f + "/app/d"), r.headers().allValues("Destination"));
        assertEquals(List.of(direct.origin() + "/x"), r.headers().allValues("X-Not-Rewritten"));
    }

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void balancerMembersRedirectsComeBackUnderTheBalancersPassPath(String context) throws Exception {
        // the member's URL ends in '/': httpd glues it and the request's "/target" into "//target"
        member.script("//target", 302, line("Location", member.origin() + "/target/"));
        member.script("//home", 302, line("Location", member.origin()));
        assertEquals(List.of(front(context) + "/bal/target/"), get(context, "bal/target").headers().allValues("Location"));
        // the bare member URL (§12.11) becomes the pass path
        assertEquals(List.of(front(context) + "/bal/"), get(context, "bal/home").headers().allValues("Location"));
    }

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void pr45434(String context) throws Exception {
        // httpd-tests: Redirect permanent /modules/alias/redirect-me http://S:P/modules/alias/5.html
        member.script("/modules/alias/redirect-me", 301, line("Location", member.origin() + "/modules/alias/5.html"));
        HttpResponse<String> r = get(context, "pr45434/redirect-me");
        assertEquals(301, r.statusCode(), output(context));
        assertEquals(List.of(front(context) + "/pr45434/5.html"), r.headers().allValues("Location"));
    }

    // ------------------------------------------------------------------ cookies

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void everySetCookieIsRewrittenAndKeepsEveryOtherByte(String context) throws Exception {
        direct.script("/cookies", 200,
                line("Set-Cookie", "SID=31d4d96e407aad42; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600;"
                        + " Domain=127.0.0.1; Path=/; Secure; HttpOnly; SameSite=Lax; Partitioned; Ext=custom"),
                line("Set-Cookie", "fakedomain=local;domain=local"),
                line("Set-Cookie", "fakepath=/local;path=/local"),
                line("Set-Cookie", "domain=local;path=/local;foo=bar"),
                line("Set-Cookie", "dup=1; path=/local; path=/x"),
                line("Set-Cookie", "plain=1;  SameSite=Strict"));
        HttpResponse<String> r = get(context, "app/cookies");
        assertEquals(200, r.statusCode(), output(context));
        String c = context; // cookie paths are written relative to the web app: the context path goes in front
        assertEquals(List.of(
                "SID=31d4d96e407aad42; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600;"
                        + " Domain=front.example; Path=" + c + "/app/; Secure; HttpOnly; SameSite=Lax; Partitioned; Ext=custom",
                "fakedomain=local;domain=remote",
                "fakepath=/local;path=" + c + "/remote",
                "domain=remote;path=" + c + "/remote;foo=bar",
                "dup=1; path=/local; path=" + c + "/app/",
                "plain=1;  SameSite=Strict"), r.headers().allValues("Set-Cookie"));
    }

    // ------------------------------------------------------------------ dates

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void obsoleteDatesBecomeRfc1123(String context) throws Exception {
        direct.script("/dates", 200,
                line("Date", "Sunday, 06-Nov-94 08:49:37 GMT"),
                line("Expires", "Thursday, 01-Jan-70 00:00:01 GMT"),
                line("Last-Modified", "Sun Nov  6 08:49:37 1994"));
        HttpResponse<String> r = get(context, "app/dates");
        assertEquals(200, r.statusCode(), output(context));
        assertEquals(List.of("Sun, 06 Nov 1994 08:49:37 GMT"), r.headers().allValues("Date"));
        assertEquals(List.of("Thu, 01 Jan 1970 00:00:01 GMT"), r.headers().allValues("Expires"));
        assertEquals(List.of("Sun, 06 Nov 1994 08:49:37 GMT"), r.headers().allValues("Last-Modified"));
    }

    @ParameterizedTest(name = "context [{0}]")
    @ValueSource(strings = {ROOT, GATEWAY})
    void expiresZeroPassesUnchanged(String context) throws Exception {
        direct.script("/expires-zero", 200, line("Expires", "0"));
        assertEquals(List.of("0"), get(context, "app/expires-zero").headers().allValues("Expires"));
    }

    // ------------------------------------------------------------------ start-up

    @Test
    void slashMismatchBetweenPassPathAndUrlIsLoggedAtStartUp() {
        for (PorticoProcess p : List.of(atRoot, atGateway)) {
            String out = p.output();
            assertTrue(out.contains("pass path '/slash' and its url '" + direct.origin() + "/' disagree on the trailing slash"), out);
        }
    }
}
