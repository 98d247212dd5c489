package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.proxy.Gateway;

/** The HTML page: httpd's columns and forms, every value escaped, the chart script under the CSP nonce. */
class ManagerPageTest {

    private static String render(Gateway g, String b, String w, String error) {
        TrafficHistory h = new TrafficHistory(g, Duration.ofSeconds(5), System::currentTimeMillis);
        h.sample();
        var balancer = b == null ? null : g.balancer(b);
        var worker = w == null ? null : balancer.member(w);
        return ManagerPage.render(g, h, new ManagerPage.View("/ctx/balancer-manager", "front<1>", "N0NCE", true,
                balancer, worker, List.of("did <this>"), error));
    }

    @Test
    void everyValueIsEscaped() throws Exception {
        try (Gateway g = Fixtures.gateway("""
                <balancer name="x" stickysession="S&lt;s"><member url="http://h" route="r&quot;&gt;&lt;script&gt;x"/></balancer>
                <pass path="/a&lt;b/" to="balancer://x/"/>
                """)) {
            String page = render(g, "x", "http://h", "bad <value>");
            assertFalse(page.contains("<script>x"), "a route cannot open an element");
            assertTrue(page.contains("r&quot;&gt;&lt;script&gt;x"), page);
            assertTrue(page.contains("front&lt;1&gt;"));
            assertTrue(page.contains("did &lt;this&gt;"));
            assertTrue(page.contains("bad &lt;value&gt;"));
            assertTrue(page.contains("S&lt;s"));
            assertTrue(page.contains("/a&lt;b/"));
        }
    }

    @Test
    void thePageHasHttpdsColumnsAndTheSelectedForm() throws Exception {
        try (Gateway g = Fixtures.gateway(Fixtures.CLUSTER)) {
            String overview = render(g, "cluster", null, null);
            for (String column : List.of("MaxMembers", "StickySession", "DisableFailover", "Timeout", "FailoverAttempts",
                    "Method", "Path", "Active", "Worker URL", "Route", "RouteRedir", "Factor", "Set", "Status", "Elected",
                    "Busy", "Load", "To", "From", "HC Method", "HC Interval", "Passes", "Fails", "HC uri", "HC Expr")) {
                assertTrue(overview.contains("<th>" + column + "</th>"), column);
            }
            assertTrue(overview.contains("<td>5 [2 Used]</td>"), "MaxMembers with used");
            assertTrue(overview.contains("<td>front&lt;1&gt; -&gt; /app/</td>"), "Path");
            assertTrue(overview.contains("Init Ok "));
            assertTrue(overview.contains("Edit balancer settings for balancer://cluster"));
            for (String field : List.of("b_lbm", "b_tmo", "b_max", "b_sforce", "b_ss", "b_nwrkr", "b_wyes", "discard_state")) {
                assertTrue(overview.contains("name=\"" + field + "\""), field);
            }
            assertTrue(overview.contains("<option value=\"bytraffic\">"), "every lbmethod is offered");
            assertTrue(overview.contains("<script nonce=\"N0NCE\" src=\"/ctx/balancer-manager/traffic-chart.js\"></script>"),
                    "the chart script, served by the manager, under the nonce");
            assertTrue(overview.contains("<style nonce=\"N0NCE\">"));
            assertFalse(overview.contains(" style=\""), "no inline style attributes: the CSP allows none");
            String member = render(g, "cluster", "http://127.0.0.1:9", null);
            assertTrue(member.contains("Edit worker settings for http://127.0.0.1:9"));
            for (String field : List.of("w_lf", "w_ls", "w_wr", "w_rr", "w_status_I", "w_status_N", "w_status_D",
                    "w_status_H", "w_status_R", "w_status_C", "w_status_S", "w_hm", "w_hi", "w_hp", "w_hf", "w_hu", "w_he")) {
                assertTrue(member.contains("name=\"" + field + "\""), field);
            }
            assertFalse(member.contains("w_status_E"));
        }
    }
}
