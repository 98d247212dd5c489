package org.portico.fidelity;

import static org.portico.fidelity.Scenario.of;
import static org.portico.fidelity.Send.get;

import java.util.List;

/** Statuses and pages the proxy makes itself: dead, broken and slow backends, unmapped paths, timeouts. */
final class ErrorScenarios {

    private ErrorScenarios() {
    }

    static List<FrontConfig> configs() {
        return List.of(errors(), timeouts());
    }

    private static FrontConfig errors() {
        return FrontConfig.of("errors", "ProxyTimeout 1, a dead, a broken and a slow backend", """
                ProxyTimeout 1
                ProxyPass /dead/ {dead}/
                ProxyPass /garbage/ {garbage}/
                ProxyPass /badheader/ {badheader}/
                ProxyPass /ok/ {b1}/
                <Proxy balancer://fot>
                  BalancerMember {b2}
                  ProxySet failontimeout=On
                </Proxy>
                ProxyPass /fot/ balancer://fot/
                """,
                of("err.ok", "a healthy backend through the same configuration", get("/ok/name/fine")),
                of("err.dead", "nothing listens at the backend: 503", get("/dead/x")).statusOnly(),
                of("err.dead-page", "the 503 page", get("/dead/x")).strict(Normaliser.CONTENT_TYPE_SPACING),
                of("err.garbage-status-line", "a status line that is not HTTP (§12.6)", get("/garbage/x")),
                of("err.bad-header", "a header line without a colon: 502 (§12.15)", get("/badheader/x")).statusOnly(),
                of("err.bad-header-page", "the page for a bad header line", get("/badheader/x"))
                        .strict(Normaliser.CONTENT_TYPE_SPACING),
                of("err.timeout", "ProxyTimeout 1 against a backend that does not answer: 502 after 1 s (§12.18)",
                        get("/ok/hold").timed()).statusOnly(),
                of("err.timeout-page", "the page for a read timeout", get("/ok/hold"))
                        .strict(Normaliser.CONTENT_TYPE_SPACING),
                of("err.timeout-failontimeout", "a balancer with failontimeout=On under ProxyTimeout 1",
                        get("/fot/hold").timed()).statusOnly(),
                of("err.not-mapped", "a path no rule maps", get("/nothing/here")).statusOnly(),
                of("err.not-mapped-page", "the page for a path no rule maps", get("/nothing/here"))
                        .strict(Normaliser.CONTENT_TYPE_SPACING));
    }

    private static FrontConfig timeouts() {
        return FrontConfig.of("timeouts", "timeout=1 on a ProxyPass worker and on a BalancerMember", """
                ProxyPass /w/ {b1}/ timeout=1
                <Proxy balancer://m>
                  BalancerMember {b2} timeout=1
                </Proxy>
                ProxyPass /m/ balancer://m/
                """,
                of("to.worker", "ProxyPass ... timeout=1: 502 after 1 s (§12.18)", get("/w/hold").timed()).statusOnly(),
                of("to.member", "BalancerMember ... timeout=1: 502 after 1 s (§12.18)", get("/m/hold").timed())
                        .statusOnly(),
                of("to.fast-enough", "a quick answer under timeout=1", get("/w/name/quick")));
    }
}
