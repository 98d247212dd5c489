package org.portico.fidelity;

import static org.portico.fidelity.Scenario.of;
import static org.portico.fidelity.Scenario.sequence;
import static org.portico.fidelity.Send.get;
import static org.portico.fidelity.Send.post;
import static org.portico.fidelity.Send.request;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Member sequences of the lbmethods, failover, sticky routes, and ProxyPassReverse's rewriting. */
final class BalancerScenarios {

    private BalancerScenarios() {
    }

    static List<FrontConfig> configs() {
        return List.of(balancers(), sticky(), reverse());
    }

    private static FrontConfig balancers() {
        return FrontConfig.of("balancers", "byrequests, bytraffic, bybusyness, failover, hot standby, lbsets", """
                <Proxy balancer://w>
                  BalancerMember {b1} loadfactor=1
                  BalancerMember {b2} loadfactor=2
                  BalancerMember {b3} loadfactor=3
                </Proxy>
                <Proxy balancer://eq>
                  BalancerMember {b4}
                  BalancerMember {b5}
                </Proxy>
                <Proxy balancer://bt>
                  BalancerMember {b1}
                  BalancerMember {b2} loadfactor=2
                  ProxySet lbmethod=bytraffic
                </Proxy>
                <Proxy balancer://bb>
                  BalancerMember {b3}
                  BalancerMember {b4}
                  ProxySet lbmethod=bybusyness
                </Proxy>
                <Proxy balancer://fo>
                  BalancerMember {dead}
                  BalancerMember {b6}
                </Proxy>
                <Proxy balancer://stby>
                  BalancerMember {dead}
                  BalancerMember {b5} status=+H
                </Proxy>
                <Proxy balancer://tiers>
                  BalancerMember {dead}
                  BalancerMember {b4} lbset=1
                </Proxy>
                <Proxy balancer://alldead>
                  BalancerMember {dead}
                </Proxy>
                <Proxy balancer://replay>
                  BalancerMember {dead}
                  BalancerMember {b6}
                </Proxy>
                <Proxy balancer://replaychunked>
                  BalancerMember {dead2}
                  BalancerMember {b5}
                </Proxy>
                ProxyPass /w/ balancer://w/
                ProxyPass /eq/ balancer://eq/
                ProxyPass /bt/ balancer://bt/
                ProxyPass /bb/ balancer://bb/
                ProxyPass /fo/ balancer://fo/
                ProxyPass /stby/ balancer://stby/
                ProxyPass /tiers/ balancer://tiers/
                ProxyPass /alldead/ balancer://alldead/
                ProxyPass /replay/ balancer://replay/
                ProxyPass /replaychunked/ balancer://replaychunked/
                """,
                of("lb.forwarded", "what a member receives through a balancer", get("/eq/name/x")),
                sequence("lb.weighted", "byrequests with loadfactors 1:2:3 over 12 requests", 12, get("/w/name")),
                sequence("lb.equal", "byrequests with equal members", 6, get("/eq/name")),
                sequence("lb.bytraffic", "bytraffic with loadfactors 1:2", 9, get("/bt/name")).onOneConnection(),
                sequence("lb.bybusyness", "bybusyness, one request at a time", 6, get("/bb/name")).onOneConnection(),
                sequence("lb.failover", "the first member is dead: failover, then error state", 5, get("/fo/name")),
                sequence("lb.hot-standby", "the only regular member is dead: the hot standby", 4, get("/stby/name")),
                sequence("lb.lbset-tiers", "lbset 0 is dead: lbset 1", 4, get("/tiers/name")),
                of("lb.all-dead", "every member dead: 503", get("/alldead/name")).statusOnly(),
                of("lb.failover-replays-body", "a 100,000-byte body fails over intact from a dead member (§12.12)",
                        post("/replay/echo-body", "r".repeat(100_000))),
                of("lb.failover-replays-chunked", "a 50,000-byte chunked body fails over intact (§12.12)",
                        request("POST", "/replaychunked/echo-body").chunked("c".repeat(50_000).getBytes(StandardCharsets.UTF_8))));
    }

    private static FrontConfig sticky() {
        return FrontConfig.of("sticky", "stickysession by cookie and URL, the route cookie of mod_headers", """
                <Proxy balancer://st>
                  BalancerMember {b1} route=n1
                  BalancerMember {b2} route=n2
                  ProxySet stickysession=ROUTEID
                </Proxy>
                <Proxy balancer://js>
                  BalancerMember {b3} route=a
                  BalancerMember {b4} route=b
                  ProxySet stickysession=JSESSIONID|jsessionid
                </Proxy>
                <Proxy balancer://hc>
                  BalancerMember {b5} route=x
                  BalancerMember {b6} route=y
                  ProxySet stickysession=ROUTEID
                </Proxy>
                <Proxy balancer://sd>
                  BalancerMember {dead} route=d
                  BalancerMember {b1} route=l
                  ProxySet stickysession=ROUTEID
                </Proxy>
                <Proxy balancer://sn>
                  BalancerMember {dead} route=d
                  BalancerMember {b2} route=l
                  ProxySet stickysession=ROUTEID nofailover=On
                </Proxy>
                ProxyPass /s/ balancer://st/
                ProxyPass /js/ balancer://js/
                ProxyPass /hc/ balancer://hc/
                ProxyPass /sd/ balancer://sd/
                ProxyPass /sn/ balancer://sn/
                Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED
                """,
                sequence("st.cookie", "Cookie ROUTEID=.n2 sticks to n2", 4, get("/s/name").with("Cookie: ROUTEID=.n2")),
                sequence("st.cookie-first", "Cookie ROUTEID=.n1 sticks to n1", 4, get("/s/name").with("Cookie: ROUTEID=.n1")),
                sequence("st.cookie-unknown-route", "a route no member has: balanced", 4,
                        get("/s/name").with("Cookie: ROUTEID=.zz")),
                sequence("st.cookie-second-header", "the route in a second Cookie header (§12.3)", 3,
                        get("/s/name").with("Cookie: a=1").with("Cookie: ROUTEID=.n2")),
                sequence("st.url-path", ";jsessionid=abc.b in the path", 3, get("/js/name;jsessionid=abc.b")),
                sequence("st.url-query", "?jsessionid=abc.b in the query (§12.4)", 3, get("/js/name?jsessionid=abc.b")),
                sequence("st.jsessionid-cookie", "Cookie JSESSIONID=abc.a", 3, get("/js/name").with("Cookie: JSESSIONID=abc.a")),
                of("st.forwarded", "what a sticky member receives, cookie and all",
                        get("/s/name/x").with("Cookie: ROUTEID=.n1; other=2")),
                of("st.route-cookie-set", "Header add Set-Cookie ... env=BALANCER_ROUTE_CHANGED on a new session",
                        get("/hc/name")),
                of("st.route-cookie-kept", "no new route cookie when the route holds",
                        get("/hc/name").with("Cookie: ROUTEID=.y")),
                sequence("st.dead-route-failover", "the route's member is dead: failover to the other", 3,
                        get("/sd/name").with("Cookie: ROUTEID=.d")),
                of("st.dead-route-nofailover", "nofailover=On and the route's member is dead: 503",
                        get("/sn/name").with("Cookie: ROUTEID=.d")).statusOnly());
    }

    private static FrontConfig reverse() {
        return FrontConfig.of("reverse", "ProxyPassReverse, ProxyPassReverseCookieDomain and -Path; seed §4's lines"
                + " over members without a path", """
                ProxyPass /app/ {b1}/
                ProxyPassReverse /app/ {b1}/
                ProxyPassReverseCookieDomain 127.0.0.1 front.example
                ProxyPassReverseCookiePath / /app/
                <Proxy balancer://pool>
                  BalancerMember {b2}
                  BalancerMember {b3}
                </Proxy>
                ProxyPass /bal/ balancer://pool/
                ProxyPassReverse /bal/ balancer://pool/
                ProxyPass /c/ {canned}/
                ProxyPassReverse /c/ {canned}/
                <Proxy balancer://foo>
                  BalancerMember {b4}
                  BalancerMember {b5}
                </Proxy>
                ProxyPass /apps/ balancer://foo/
                ProxyPassReverse /apps balancer://foo/
                ProxyPassReverse /apps {b4}/
                ProxyPassReverse /apps {b5}/
                """,
                of("seed4.redirect-first-member", "seed §4: ProxyPassReverse /apps balancer://foo/ and /apps http://b4/",
                        get("/apps/redirect?to={b4}/landing")),
                of("seed4.redirect-second-member", "seed §4: ProxyPassReverse /apps balancer://foo/ and /apps http://b5/",
                        get("/apps/redirect?to={b5}/landing")),
                of("rev.location", "a Location at the backend comes back at the front", get("/app/redirect?to={b1}/landing")),
                of("rev.location-elsewhere", "a Location at another host is left alone",
                        get("/app/redirect?to=http://elsewhere.test/x")),
                of("rev.location-relative", "a relative Location is left alone", get("/app/redirect?to=/landing")),
                of("rev.location-balancer", "balancer-aware ProxyPassReverse", get("/bal/redirect?to={b3}/landing")),
                of("rev.location-headers", "Location, Content-Location and URI are rewritten", get("/c/locations")),
                of("rev.bare-location", "Location exactly the backend URL without a slash (§12.11)", get("/c/bare-location")),
                of("rev.cookie-domain-path", "Domain and Path of a Set-Cookie rewritten",
                        get("/app/setcookie?s=sid%3D1%3B%20Domain%3D127.0.0.1%3B%20Path%3D%2F")),
                of("rev.cookie-subpath", "Path=/sub becomes /app/sub",
                        get("/app/setcookie?s=sid%3D2%3B%20Path%3D%2Fsub")),
                of("rev.cookie-other-domain", "another Domain is left alone",
                        get("/app/setcookie?s=sid%3D3%3B%20Domain%3Dother.test%3B%20Path%3D%2Fx")),
                of("rev.cookie-two", "two Set-Cookie headers", get("/app/setcookie?a=x%3D1%3B%20Path%3D%2F&b=y%3D2%3B%20Path%3D%2F")),
                of("rev.cookie-dup-path", "only the last path= is rewritten (§12.9)", get("/c/dup-path-cookie")));
    }
}
