package org.portico.fidelity;

import static org.portico.fidelity.Scenario.of;
import static org.portico.fidelity.Send.get;
import static org.portico.fidelity.Send.post;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.portico.testkit.FlappingBackend.Mode;

/**
 * mod_proxy_hcheck and {@code ping} side by side. Health checks: each checked member has a hot standby, so which one answers says whether
 * the checks keep the member in rotation. A scenario flips the member's health (a 500, the wrong body, a
 * closed port), waits until the standby answers, sends the same requests, flips it back, waits until the
 * member answers again, and sends them once more; the waits are compared as reached or not within
 * {@link #BOUND}, far above {@code hcinterval × hcfails} plus one interval. Ping: what a member with
 * {@code ping} receives, and a silent member (it never sends its 100) failed over or answered with 503.
 */
final class HealthScenarios {

    /** How long a side may take to move a member in or out of rotation: generous for a busy machine. */
    static final Duration BOUND = Duration.ofSeconds(20);

    private HealthScenarios() {
    }

    static List<FrontConfig> configs() {
        return List.of(checks(), ping());
    }

    private static FrontConfig ping() {
        return FrontConfig.of("ping", "ping: Expect: 100-Continue on requests with a body, a silent member failed over", """
                ProxyPass /pinged/ {b6}/ ping=5
                <Proxy balancer://pingfo>
                  BalancerMember {silent} ping=500ms timeout=30
                  BalancerMember {b5} ping=5
                </Proxy>
                <Proxy balancer://pinglast>
                  BalancerMember {silent} ping=500ms timeout=30
                </Proxy>
                ProxyPass /pingfo/ balancer://pingfo/
                ProxyPass /pinglast/ balancer://pinglast/
                """,
                of("ping.expect", "a request with a body to a member with ping", post("/pinged/echo-body", "hello ping")),
                of("ping.no-body", "a GET to a member with ping", get("/pinged/name")),
                of("ping.silent-fails-over", "the first member never sends its 100: the next gets all of the body",
                        post("/pingfo/echo-body", "x".repeat(20_000))),
                of("ping.silent-last", "the only member never sends its 100: 503 after the ping, not the timeout",
                        post("/pinglast/echo-body", "y".repeat(1000))).statusOnly());
    }

    private static FrontConfig checks() {
        return FrontConfig.of("health", "hcmethod GET, HEAD from a ProxyHCTemplate, TCP, and hcexpr on the body",
                """
                ProxyHCExpr up {hc('body') =~ /status: UP/}
                ProxyHCTemplate headcheck hcmethod=HEAD hcuri=/health hcinterval=100ms
                <Proxy balancer://hcget>
                  BalancerMember {hc1} hcmethod=GET hcuri=/health hcinterval=100ms hcfails=2 hcpasses=2
                  BalancerMember {b1} status=+H
                </Proxy>
                <Proxy balancer://hcexpr>
                  BalancerMember {hc2} hcmethod=GET hcuri=/health hcinterval=100ms hcexpr=up
                  BalancerMember {b2} status=+H
                </Proxy>
                <Proxy balancer://hcstatus>
                  BalancerMember {hc2} hcmethod=GET hcuri=/health hcinterval=100ms
                  BalancerMember {b3} status=+H
                </Proxy>
                <Proxy balancer://hctpl>
                  BalancerMember {hc3} hctemplate=headcheck
                  BalancerMember {b4} status=+H
                </Proxy>
                <Proxy balancer://hctcp>
                  BalancerMember {hc4} hcmethod=TCP hcinterval=100ms
                  BalancerMember {b5} status=+H
                </Proxy>
                ProxyPass /hcget/ balancer://hcget/
                ProxyPass /hcexpr/ balancer://hcexpr/
                ProxyPass /hcstatus/ balancer://hcstatus/
                ProxyPass /hctpl/ balancer://hctpl/
                ProxyPass /hctcp/ balancer://hctcp/
                """,
                flip("hc.get-500", "a GET check answered 500 (hcfails=2, hcpasses=2): out to the standby and back",
                        "/hcget/name", "hc1", "b1", Mode.ERROR_500),
                flip("hc.expr-body", "hcexpr on the body: status: DOWN with 200 fails it, while a status-only check"
                        + " of the same member passes", "/hcexpr/name", "hc2", "b2", Mode.WRONG_BODY, get("/hcstatus/name")),
                flip("hc.template-head", "HEAD from a ProxyHCTemplate answered 500", "/hctpl/name", "hc3", "b4",
                        Mode.ERROR_500),
                flip("hc.tcp-closed", "a TCP check on a closed port; the check, not retry=60, brings the member back",
                        "/hctcp/name", "hc4", "b5", Mode.CLOSED));
    }

    /**
     * Up and answering; {@code down}, the standby answers; up again, the member answers: three requests
     * to {@code path} (and {@code alsoSend}) at each stage.
     */
    private static Scenario flip(String name, String about, String path, String member, String standby, Mode down,
                                 Send... alsoSend) {
        Send request = get(path);
        List<Send> sends = new ArrayList<>();
        for (Mode mode : List.of(Mode.UP, down, Mode.UP)) {
            sends.add(Send.step(new Step.Flip(member, mode)));
            sends.add(Send.step(new Step.AwaitMember(request, mode == Mode.UP ? member : standby, BOUND)));
            sends.addAll(Collections.nCopies(3, request));
            for (Send s : alsoSend) {
                sends.add(s);
            }
        }
        return new Scenario(name, about, sends, EnumSet.of(Normaliser.SEQUENCE), false);
    }
}
