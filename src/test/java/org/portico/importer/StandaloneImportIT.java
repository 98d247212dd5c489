package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;

/**
 * The standalone jar as a user runs it on an httpd configuration: {@code --httpd-config} balancing two
 * real backends and failing over when one stops, and {@code import-httpd} as a process.
 */
class StandaloneImportIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** Which backend answered and the path it was asked for, from the testkit backend's echo: "a /app/hello". */
    private static String servedBy(HttpResponse<String> r) {
        String requestLine = r.body().lines().findFirst().orElse("");
        return r.headers().firstValue("X-Backend").orElse("?") + " " + requestLine.substring(requestLine.indexOf(' ') + 1);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(120)
    void anHttpdConfigurationRunsBalancesAndFailsOver() throws Exception {
        try (Backend a = Backend.start("a"); Backend b = Backend.start("b")) {
            for (Backend member : List.of(a, b)) {
                member.script("/app/login", 200, Backend.line("Set-Cookie", "session=" + member.name() + "-1; Path=/; Domain=127.0.0.1"));
                member.script("/app/redirect", 302, Backend.line("Location", member.origin() + "/app/landing"));
            }
            Path conf = Imported.write(dir, "httpd.conf", """
                    LoadModule proxy_module modules/mod_proxy.so
                    LoadModule proxy_balancer_module modules/mod_proxy_balancer.so
                    DocumentRoot /var/www/html
                    <Proxy "balancer://cluster">
                        BalancerMember %sapp route=a
                        BalancerMember %sapp route=b
                        ProxySet lbmethod=byrequests
                    </Proxy>
                    ProxyPass        /app/ balancer://cluster/
                    ProxyPassReverse /app/ balancer://cluster/
                    """.formatted(a.origin() + "/", b.origin() + "/"));
            try (PorticoProcess portico = PorticoProcess.start(List.of(), "--httpd-config", conf.toString(), "--port", "0")) {
                String front = portico.awaitUrl(Duration.ofSeconds(60));
                assertTrue(portico.output().contains(conf + ":3: not imported: DocumentRoot /var/www/html"), portico.output());

                // byrequests with equal loadfactors alternates, and the member's path is prepended
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> r = get(front + "app/hello");
                    assertEquals(200, r.statusCode(), r.body() + portico.output());
                    bodies.add(servedBy(r));
                }
                assertTrue(bodies.stream().allMatch(s -> s.equals("a /app/hello") || s.equals("b /app/hello")), bodies.toString());
                assertNotEquals(bodies.get(0), bodies.get(1), "consecutive requests go to different members: " + bodies);
                assertEquals(bodies.get(0), bodies.get(2));
                assertEquals(bodies.get(1), bodies.get(3));

                // the backend's cookie and redirect reach the client (their rewriting is not asserted here)
                HttpResponse<String> login = get(front + "app/login");
                assertEquals(200, login.statusCode());
                assertTrue(login.headers().firstValue("Set-Cookie").orElse("").startsWith("session="), login.headers().toString());
                HttpResponse<String> redirect = get(front + "app/redirect");
                assertEquals(302, redirect.statusCode());
                assertTrue(redirect.headers().firstValue("Location").isPresent(), redirect.headers().toString());

                // member b stops. What a request sent to it gets depends on the proxy's failure handling, which is
                // being built on other branches. httpd answers the request that finds b dead with 503 and puts b in
                // error state (retry 60 s), so every later request goes to a; with failover, not even that one fails.
                // On this branch's proxy a refused connect is taken for a read error (502) and b never leaves the
                // rotation, so every request byrequests gives b gets 502 (main fixes that: "a refused or timed-out
                // connect gives 503"). The assertions below hold for both and tighten once a 503 is seen.
                b.close();
                List<Integer> statuses = new ArrayList<>();
                List<String> after = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    HttpResponse<String> r = get(front + "app/after");
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 200) {
                        after.add(servedBy(r));
                    }
                }
                String seen = "statuses after b stopped: " + statuses + "\n" + portico.output();
                assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 502 || s == 503), seen);
                assertTrue(after.size() >= 4, "a keeps serving its share: " + seen);
                for (int i = 1; i < statuses.size(); i++) {
                    assertTrue(statuses.get(i) == 200 || statuses.get(i - 1) == 200, "never two failures in a row: " + seen);
                }
                int firstUnavailable = statuses.indexOf(503);
                if (firstUnavailable >= 0) {
                    assertEquals(List.of(200), statuses.subList(firstUnavailable + 1, statuses.size()).stream().distinct().toList(),
                            "once b is in error state every request goes to a: " + seen);
                }
                assertTrue(after.stream().allMatch("a /app/after"::equals), after.toString());
            }
        }
    }

    /** Runs the jar with stdout and stderr kept apart, as a shell would. */
    private record Run(int status, String out, String err) {
    }

    private Run jar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                PorticoProcess.JAR.toString()));
        cmd.addAll(List.of(args));
        File out = dir.resolve("stdout.txt").toFile();
        File err = dir.resolve("stderr.txt").toFile();
        Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("import-httpd did not exit within 60 s");
            }
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    @Test
    @Timeout(90)
    void importHttpdPrintsAValidDescriptorAndReportsWhatItLeftOutOnStandardError() throws Exception {
        Path conf = Imported.write(dir, "httpd.conf", """
                Listen 8080
                <Proxy balancer://java>
                  BalancerMember ajp://127.0.0.1:8009 route=tc1
                  BalancerMember http://127.0.0.1:8080 route=tc2 retry=1ms
                </Proxy>
                ProxyPass /java/ balancer://java/
                RewriteEngine On
                """);
        Run run = jar("import-httpd", conf.toString());
        assertEquals(0, run.status(), run.err());
        Imported.assertValid(run.out());
        assertEquals("""
                balancer name=java
                  member route=tc1 url=ajp://127.0.0.1:8009
                  member retry=1s route=tc2 url=http://127.0.0.1:8080
                pass path=/java/ to=balancer://java/""", Imported.canonicalText(run.out()));
        assertTrue(run.err().contains(conf + ":1: not imported: Listen 8080"), run.err());
        assertTrue(run.err().contains(conf + ":4: warning: retry=1ms"), run.err());
        assertTrue(run.err().contains(conf + ":7: not imported: RewriteEngine On"), run.err());
        assertTrue(run.out().startsWith("<?xml"), "standard output holds the descriptor alone: " + run.out());
        assertTrue(!run.out().substring(run.out().indexOf("<portico")).contains("not imported"),
                "the report is on standard error (and in the descriptor's header comment only): " + run.out());
    }

    @Test
    @Timeout(90)
    void aConfigurationThatCannotBeImportedExitsWith2NamingFileAndLine() throws Exception {
        Path conf = Imported.write(dir, "httpd.conf", """
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9 colour=blue
                </Proxy>
                """);
        Run imported = jar("import-httpd", conf.toString());
        assertEquals(2, imported.status(), imported.err());
        assertEquals("", imported.out());
        assertTrue(imported.err().contains(conf + ":2: BalancerMember: unknown Worker parameter (colour=blue)"), imported.err());

        Run running = jar("--httpd-config", conf.toString(), "--port", "0");
        assertEquals(2, running.status(), running.err());
        assertTrue(running.err().contains(conf + ":2: BalancerMember: unknown Worker parameter"), running.err());

        Path missing = Imported.write(dir, "other.conf", "ProxyPass / http://127.0.0.1:9/\nInclude sites/*.conf\n");
        Run include = jar("--httpd-config", missing.toString(), "--port", "0");
        assertEquals(2, include.status(), include.err());
        assertTrue(include.err().contains(missing + ":2: Include sites/*.conf: no file matches the wildcard"), include.err());
    }
}
