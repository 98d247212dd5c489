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
            seed6.manager                   the balancer-manager is guarded by the container's realm (role portico-admin): Require host is not imported, so 127.0.0.1 gets 401 where httpd serves the page
            """);

    /** Portico differs today because of a bug; the issue that tracks it comes first in the reason. */
    static final Map<String, String> KNOWN = parse("""
            map.ifmodule-absent             #13 <IfModule mod_nonexistent.c> is imported as written; httpd skips it (§12.24)
            map.connect                     #13 (found by the kit) CONNECT gets no answer at all; httpd answers 400
            map.balancer-no-double-slash    #13 (found by the kit) ProxyPass /bslash balancer://one/: httpd 2.4.71 sends //name, Portico /name (§12.2 says httpd sends no //: it does for a member without a path)
            seed3.forwarded                 #13 (found by the kit) members with a trailing slash under balancer://foo/: httpd sends //name/x, Portico /name/x (and bytraffic chooses another member)
            seed2.forwarded                 #13 (found by the kit) members with a trailing slash under balancer://foo/: httpd sends //name/x, Portico /name/x
            seed4.redirect-through-tiers    #13 (found by the kit) the same //: httpd sends //redirect to §3's members, Portico /redirect; and bytraffic picks another member
            enc.raw-utf8                    #13 Jetty refuses raw UTF-8 bytes in the request line (400 Illegal Path Character) before Portico; httpd forwards %C3%A9t%C3%A9
            enc.null                        #13 (found by the kit) %00 in a path: Jetty's servlet layer answers 400 itself before Portico (whatever the URI compliance); httpd 404 (§12.15). Portico answers 404 when the container lets it through
            nd.bad-header-ignore            #13 ProxyBadHeader Ignore is not honoured: 502; httpd drops the line and answers 200
            opt.bad-header-start-body       #13 ProxyBadHeader StartBody is not honoured: 502; httpd answers 200, the lines after the bad one as body (§12.7)
            h.no-user-agent                 #13 a request without User-Agent gets Apache-HttpAsyncClient's (§12.17)
            h.max-forwards-zero-page        #13 the status line says "400 Bad Request" for httpd's "400 Proxy Error": the Servlet API cannot set a reason phrase (the page itself agrees)
            r.content-type                  #13 Content-Type is respelled: text/html;charset=utf-8 for text/html; charset=UTF-8 (§12.22)
            r.content-type-jetty            #13 Content-Type is respelled: text/plain;charset=utf-8 (§12.22)
            r.reason-custom                 #13 the reason phrase is replaced: 599 Custom Reason arrives as "599 599" (§12.22)
            r.reason-fine                   #13 the reason phrase is replaced: 200 Fine Thanks arrives as "200 OK" (§12.22)
            r.reason-ise                    #13 the reason phrase is replaced: 500 Internal Server Error arrives as "500 Server Error" (§12.22)
            r.head-empty-302                #13 HEAD of an empty 302 gains Content-Length: 0 (§12.14)
            r.interim-103                   #13 a 103 Early Hints is not passed on
            r.interim-102                   #13 a 102 Processing is not passed on
            f.chunked-small                 #13 a small chunked body goes on chunked; httpd sends it with Content-Length (§12.20)
            err.timeout-page                #13 the status line says "502 Bad Gateway" for httpd's "502 Proxy Error": the Servlet API cannot set a reason phrase (the page itself agrees)
            err.timeout                     #13 a 1 s timeout fires late at times (1.0 to over 1.9 s measured); httpd answers after 1.0 s (§12.18)
            err.timeout-failontimeout       #13 a 1 s timeout fires late at times (1.0 to over 1.9 s measured); httpd answers after 1.0 s (§12.18)
            to.worker                       #13 a 1 s timeout fires late at times (1.0 to over 1.9 s measured); httpd answers after 1.0 s (§12.18)
            to.member                       #13 a 1 s timeout fires late at times (1.0 to over 1.9 s measured); httpd answers after 1.0 s (§12.18)
            seed3.sequence                  #13 (found by the kit) bytraffic keeps choosing the first member; httpd gives 1:4 to b1:b2
            seed5.root                      #13 (found by the kit) ProxyPass / balancer://foo (no slash): httpd answers 500 (AH01144: the path is glued to the balancer name), Portico forwards /name/r as /r
            st.route-cookie-set             #13 (found by the kit) Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e" env=BALANCER_ROUTE_CHANGED (mod_headers) is not imported: no route cookie
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
        List<String> stray = Stream.concat(ON_PURPOSE.keySet().stream(), KNOWN.keySet().stream())
                .filter(n -> !names.contains(n)).toList();
        if (!stray.isEmpty()) {
            throw new IllegalStateException("Differences lists scenarios that do not exist: " + stray);
        }
        List<String> both = ON_PURPOSE.keySet().stream().filter(KNOWN::containsKey).toList();
        if (!both.isEmpty()) {
            throw new IllegalStateException("a scenario is either on purpose or a known bug, not both: " + both);
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
