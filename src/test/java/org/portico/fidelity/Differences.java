package org.portico.fidelity;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The differences the kit expects, one line per scenario: its name, then why. Edit these as Portico
 * changes: a fixed bug's line goes (the report says when a listed scenario agrees), a new deliberate
 * difference comes with its reason (and a line in the README's "Where Portico differs from httpd").
 */
final class Differences {

    /** Portico differs from httpd by design. */
    static final Map<String, String> ON_PURPOSE = parse("""
            err.garbage-status-line         §12.6: httpd takes a status line that is not HTTP for HTTP/0.9 and passes the bytes with 200; Portico answers 502, which is safer
            f.cl-and-te                     Content-Length with Transfer-Encoding is refused with 400 (request smuggling); httpd forwards the chunked body
            nd.bad-header-ignore            ProxyBadHeader Ignore is not honoured (start-up warning): a malformed backend header line is always an error, 502; httpd drops the line and answers 200
            opt.bad-header-start-body       ProxyBadHeader StartBody is not honoured (start-up warning): 502; httpd answers 200 with the lines after the bad one as body (§12.7)
            seed6.manager                   the balancer-manager is guarded by the container's realm (role portico-admin): Require host is not imported, so 127.0.0.1 gets 401 where httpd serves the page
            """);

    /**
     * The container decides, not Portico: what a servlet cannot do through the Servlet API on the containers
     * the kit runs (the standalone jar's Jetty). Each is in the README's "Where Portico differs from httpd".
     */
    static final Map<String, String> CONTAINER = parse("""
            enc.raw-utf8                    Jetty refuses raw UTF-8 bytes in the request line (400 Illegal Path Character) before Portico sees the request; httpd forwards %C3%A9t%C3%A9
            enc.null                        %00 in a path: Jetty's servlet layer answers 400 itself before Portico (whatever the URI compliance); httpd 404 (§12.15); Portico answers 404 where the container lets it through
            h.max-forwards-zero-page        the status line says "400 Bad Request" for httpd's "400 Proxy Error": the Servlet API cannot set a reason phrase (the page itself agrees)
            err.timeout-page                the status line says "502 Bad Gateway" for httpd's "502 Proxy Error": the Servlet API cannot set a reason phrase (the page itself agrees)
            lim.line-10002                  the status line says "414 URI Too Long" (Jetty's phrase) for httpd's "414 Request-URI Too Long": the Servlet API cannot set a reason phrase (the page itself agrees)
            h.huge-head                     the standalone jar's Jetty reads request heads of up to 64 KiB (431 above): at 1 MiB a head of 200,000 tiny fields cost seconds of CPU in Jetty's field list before Portico could count them; httpd bounds lines and their count, not the head
            h.line-8192                     the status line says "414 URI Too Long" (Jetty's phrase) for httpd's "414 Request-URI Too Long": the Servlet API cannot set a reason phrase (the page itself agrees)
            r.reason-custom                 the reason phrase is the container's: 599 Custom Reason arrives as "599 599"; the Servlet API cannot set one (§12.22)
            r.reason-fine                   the reason phrase is the container's: 200 Fine Thanks arrives as "200 OK"; the Servlet API cannot set one (§12.22)
            r.reason-ise                    the reason phrase is the container's: 500 Internal Server Error arrives as "500 Server Error"; the Servlet API cannot set one (§12.22)
            r.interim-103                   a 103 Early Hints is not passed on: Servlet 6.0 (Jetty 12 ee10, Tomcat 10/11) has no API to send an interim response
            r.interim-102                   a 102 Processing is not passed on: Servlet 6.0 has no API to send an interim response
            r.head-empty-302                HEAD of an empty 302 gains Content-Length: 0: Jetty writes it for a HEAD answer without a body (§12.14)
            seed5.root                      the status line says "500 Server Error" for httpd's "500 Internal Server Error": the Servlet API cannot set a reason phrase (the page itself agrees)
            """);

    /** Portico differs today because of a bug; the issue that tracks it comes first in the reason. */
    static final Map<String, String> KNOWN = parse("""
            """);

    private Differences() {
    }

    /**
     * Checks the lists against the scenarios: names unique, every listed name a scenario, none listed
     * twice, so that a typo cannot hide a difference.
     *
     * @throws IllegalStateException naming what is wrong
     */
    static void check(List<FrontConfig> configs) {
        Set<String> names = new HashSet<>();
        for (FrontConfig c : configs) {
            for (Scenario s : c.scenarios()) {
                if (!names.add(s.name())) {
                    throw new IllegalStateException("two scenarios are called " + s.name());
                }
            }
        }
        List<String> stray = Stream.of(ON_PURPOSE, CONTAINER, KNOWN).flatMap(m -> m.keySet().stream())
                .filter(n -> !names.contains(n)).toList();
        if (!stray.isEmpty()) {
            throw new IllegalStateException("Differences lists scenarios that do not exist: " + stray);
        }
        List<String> both = Stream.of(ON_PURPOSE, CONTAINER, KNOWN).flatMap(m -> m.keySet().stream())
                .filter(n -> (ON_PURPOSE.containsKey(n) ? 1 : 0) + (CONTAINER.containsKey(n) ? 1 : 0) + (KNOWN.containsKey(n) ? 1 : 0) > 1)
                .distinct().toList();
        if (!both.isEmpty()) {
            throw new IllegalStateException("a scenario is on one list only (on purpose, container, known bug): " + both);
        }
    }

    private static Map<String, String> parse(String lines) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 2);
            if (parts.length < 2 || map.put(parts[0], parts[1]) != null) {
                throw new IllegalStateException("a line is 'scenario reason', one per scenario: " + l);
            }
        }
        return map;
    }
}
