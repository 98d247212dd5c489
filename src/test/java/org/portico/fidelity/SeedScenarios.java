package org.portico.fidelity;

import static org.portico.fidelity.Scenario.of;
import static org.portico.fidelity.Scenario.sequence;
import static org.portico.fidelity.Send.get;

import java.util.List;

/**
 * The configurations of {@code ../shared/reference/seed-configs.md}, as the guides show them, with
 * loopback backends in place of their hosts ({@code 192.168.1.101:8080} and {@code www1.example.com} are
 * {@code b1}, and so on; the AJP members are dead loopback ports).
 */
final class SeedScenarios {

    private SeedScenarios() {
    }

    static List<FrontConfig> configs() {
        return List.of(
                FrontConfig.of("seed1-sticky-tutorial", "§1: sticky sessions with a route cookie", """
                        <Proxy balancer://mycluster>
                          BalancerMember {b1} route=node1
                          BalancerMember {b2} route=node2
                          ProxySet stickysession=BALANCEID
                        </Proxy>
                        ProxyPassMatch ^(/.*)$ balancer://mycluster$1
                        ProxyPassReverse / {b1}/
                        ProxyPassReverse / {b2}/
                        ProxyPassReverseCookieDomain 127.0.0.1 localhost
                        ProxyPassReverseCookieDomain 127.0.0.1 localhost
                        """,
                        of("seed1.forwarded", "what a member receives through ^(/.*)$ balancer://mycluster$1", get("/name/x")),
                        sequence("seed1.balanced", "no session: byrequests alternates", 4, get("/name")),
                        sequence("seed1.sticky", "BALANCEID=balancer.node2 sticks to node2", 4,
                                get("/name").with("Cookie: BALANCEID=balancer.node2")),
                        of("seed1.redirect", "a member's redirect comes back at the front", get("/redirect?to={b2}/landing")),
                        of("seed1.cookie-domain", "the application's cookie Domain becomes localhost",
                                get("/setcookie?c=BALANCEID%3Dbalancer.node1%3B%20Domain%3D127.0.0.1%3B%20Path%3D%2F"))),
                FrontConfig.of("seed2-weighted-standby", "§2: weighted members, a hot standby, bytraffic (the talk maps"
                        + " no path to it: /foo/ is added)", """
                        <Proxy balancer://foo>
                          BalancerMember {b1}/ loadfactor=1
                          BalancerMember {b3}/ loadfactor=1
                          BalancerMember {b2}/ loadfactor=4 status=+h
                          ProxySet lbmethod=bytraffic
                        </Proxy>
                        ProxyPass /foo/ balancer://foo/
                        """,
                        of("seed2.forwarded", "what a member with a trailing slash receives", get("/foo/name/x")),
                        sequence("seed2.sequence", "the standby gets nothing while members are up", 8, get("/foo/name"))),
                FrontConfig.of("seed3-4-tiers-reverse", "§3 failover tiers with §4's ProxyPassReverse lines", """
                        <Proxy balancer://foo>
                          BalancerMember {b1}/      loadfactor=1
                          BalancerMember {b2}/      loadfactor=4
                          BalancerMember {b3}/   loadfactor=4 status=+h
                          BalancerMember {b4}/  lbset=1
                          BalancerMember {b5}/  lbset=1
                          ProxySet lbmethod=bytraffic
                        </Proxy>
                        ProxyPass /apps/ balancer://foo/
                        ProxyPassReverse /apps balancer://foo/
                        ProxyPassReverse /apps {b1}/
                        ProxyPassReverse /apps {b2}/
                        """,
                        sequence("seed3.sequence", "bytraffic 1:4 in lbset 0, standby and lbset 1 idle", 10, get("/apps/name")),
                        of("seed3.forwarded", "what a member receives", get("/apps/name/x")),
                        of("seed4.redirect-through-tiers", "a redirect through §3's members, which have a trailing slash"
                                + " (§4's lines over members without one run in configuration reverse)",
                                get("/apps/redirect?to={b1}/landing"))),
                FrontConfig.of("seed5-all-together", "§5: several balancers, AJP, a direct mapping, a .gif match", """
                        <Proxy balancer://foo>
                          BalancerMember {b1}/      loadfactor=1
                          BalancerMember {b2}/      loadfactor=4
                          BalancerMember {b3}/   loadfactor=4 status=+h
                          ProxySet lbmethod=bytraffic
                        </Proxy>
                        <Proxy balancer://javaapps>
                          BalancerMember ajp://{dead.hostport}/        loadfactor=1
                          BalancerMember ajp://{dead2.hostport}/        loadfactor=4
                          ProxySet lbmethod=byrequests
                        </Proxy>
                        ProxyPass /apps/ balancer://foo/
                        ProxyPass /serv/ balancer://javaapps/
                        ProxyPass /images/ {b4}/
                        ProxyPassMatch ^(/*.*\\.gif)$ {b5}$1
                        ProxySet balancer://foo timeout=10
                        ProxyPass / balancer://foo timeout=10
                        """,
                        sequence("seed5.apps", "/apps/ over bytraffic 1:4", 5, get("/apps/name")),
                        of("seed5.serv-ajp", "/serv/ to AJP members that are down", get("/serv/x")).statusOnly(),
                        of("seed5.images", "/images/ to a direct worker", get("/images/name/a")),
                        of("seed5.gif", "ProxyPassMatch ^(/*.*\\.gif)$", get("/name/x.gif")),
                        of("seed5.root", "ProxyPass / balancer://foo (no slash) timeout=10", get("/name/r"))),
                FrontConfig.of("seed6-guide-workers", "§6: the guide's first two snippets in one file", """
                        ProxyPass "/"  "{b1}/"
                        ProxyPassReverse "/"  "{b1}/"

                        ProxyPass "/images"  "{b1}/"
                        ProxyPassReverse "/images"  "{b1}/"
                        """,
                        of("seed6.root", "ProxyPass / http://www.example.com/", get("/name/x")),
                        of("seed6.images-shadowed", "/images comes after / and is never reached", get("/images/name")),
                        of("seed6.redirect", "ProxyPassReverse /", get("/redirect?to={b1}/landing"))),
                FrontConfig.of("seed6-guide-balancer", "§6: the guide's balancer and balancer-manager", """
                        <Proxy balancer://myset>
                            BalancerMember {b2}
                            BalancerMember {b3} loadfactor=3 timeout=1
                            BalancerMember {b4} status=+H
                            BalancerMember {b5} lbset=1
                            BalancerMember {b6} lbset=1
                            ProxySet lbmethod=byrequests
                        </Proxy>
                        ProxyPass "/images/"  "balancer://myset/"
                        ProxyPassReverse "/images/"  "balancer://myset/"

                        <Location "/balancer-manager">
                            SetHandler balancer-manager
                            Require host localhost
                        </Location>
                        """,
                        sequence("seed6.images-sequence", "byrequests 1:3, standby and lbset 1 idle", 8, get("/images/name")),
                        of("seed6.images-forwarded", "what a member receives", get("/images/name/x")),
                        of("seed6.redirect-balancer", "ProxyPassReverse /images/ balancer://myset/",
                                get("/images/redirect?to={b2}/landing")),
                        of("seed6.manager", "the balancer-manager from 127.0.0.1 (Require host localhost)",
                                get("/balancer-manager")).statusOnly()),
                FrontConfig.of("seed7-howto", "§7: two local backends (localhost:8000 and :8001)", """
                        <Proxy balancer://mycluster>
                        BalancerMember http://localhost:{b1.port}
                        BalancerMember http://localhost:{b2.port}
                        </Proxy>
                        ProxyPass / balancer://mycluster/
                        ProxyPassReverse / balancer://mycluster/
                        """,
                        sequence("seed7.sequence", "two equal members alternate", 4, get("/name")),
                        of("seed7.forwarded", "what a member named localhost receives", get("/name/x")),
                        of("seed7.redirect", "a member's redirect at localhost comes back at the front",
                                get("/redirect?to=http://localhost:{b1.port}/landing"))));
    }
}
