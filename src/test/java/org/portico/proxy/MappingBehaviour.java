package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Backend;
import org.portico.testkit.RecordedRequest;

/** ProxyPass / ProxyPassMatch mapping through the container (spec section 3.1), under the web app's context path. */
interface MappingBehaviour extends ProxyUnderTest {

    @Test
    default void prefixRuleMatchesItsOwnPathAndEverythingBelowItWithoutTheContextPath() {
        Backend alpha = topology().alpha;
        assertEquals(200, get("/app").statusCode());
        assertEquals(200, get("/app/below/it").statusCode());
        assertEquals(1, alpha.received(r -> r.path().equals("/app")).size(), alpha.received().toString());
        assertEquals("/app/below/it", alpha.onlyRequestUnder("/app/below").path());
    }

    @Test
    default void prefixRuleWithoutTrailingSlashDoesNotMatchALongerSegment() {
        HttpResponse<String> r = get("/appx");
        assertErrorPage(404, "404 Not Found", r);
        assertTrue(topology().alpha.receivedUnder("/appx").isEmpty());
    }

    @Test
    default void ruleEndingInSlashDoesNotMatchThePathWithoutTheSlash() {
        assertEquals(404, get("/dir").statusCode());
        assertEquals(200, get("/dir/inside").statusCode());
        assertTrue(topology().alpha.received(r -> r.path().equals("/dir")).isEmpty());
        assertEquals("/dir/inside", topology().alpha.onlyRequestUnder("/dir/inside").path());
    }

    @Test
    default void pathWithoutSlashToUrlWithSlashSendsADoubleSlash() {
        assertEquals(200, get("/doubled/x").statusCode());
        assertEquals("/doubled//x", topology().alpha.onlyRequestUnder("/doubled/").path());
    }

    @Test
    default void pathWithSlashToUrlWithoutSlashJoinsTheSegments() {
        assertEquals(200, get("/joined/x").statusCode());
        assertEquals("/joinedx", topology().alpha.onlyRequestUnder("/joinedx").path());
    }

    @Test
    default void excludedPathIsLeftToTheContainerAndNeverReachesTheBackend() {
        // the WAR has no static files: the container's default servlet answers 404 for a missing one
        assertEquals(404, get("/site/local/missing.html").statusCode());
        assertTrue(topology().alpha.receivedUnder("/site/local").isEmpty(), topology().alpha.received().toString());
        // the general rule after the exclusion still proxies its other paths
        assertEquals(200, get("/site/page").statusCode());
        assertEquals("/site/page", topology().alpha.onlyRequestUnder("/site/page").path());
    }

    @Test
    default void firstMatchingRuleWinsOverALaterMoreSpecificOne() {
        assertEquals(200, get("/order/specific/x").statusCode());
        assertEquals("/first/specific/x", topology().alpha.onlyRequestUnder("/first/").path());
        assertTrue(topology().beta.receivedUnder("/second").isEmpty());
    }

    @Test
    default void pathNoRuleMatchesGets404WithoutContactingAnyBackend() {
        HttpResponse<String> r = get("/nowhere/at/all");
        assertErrorPage(404, "404 Not Found", r);
        assertTrue(topology().alpha.receivedUnder("/nowhere").isEmpty());
        assertTrue(topology().beta.receivedUnder("/nowhere").isEmpty());
    }

    @Test
    default void passMatchSubstitutesTheCapturedGroupAndKeepsTheQuery() {
        assertEquals(200, get("/match/a/b.txt?q=1").statusCode());
        assertEquals("/files/a/b.dat?q=1", topology().alpha.onlyRequestUnder("/files/a/").target());
    }

    @Test
    default void passMatchGroupIsMatchedDecodedAndSentReEncoded() {
        assertEquals(200, get("/match/caf%C3%A9.txt").statusCode());
        assertEquals("/files/caf%C3%A9.dat", topology().alpha.onlyRequestUnder("/files/caf").path());
    }

    @Test
    default void passMatchWithoutBackreferenceAppendsTheWholePath() {
        assertEquals(200, get("/whole/img/x.gif").statusCode());
        assertEquals("/gifs/whole/img/x.gif", topology().alpha.onlyRequestUnder("/gifs").path());
    }

    @Test
    default void runsOfSlashesAreMergedBeforeMapping() {
        if (container() == Container.JETTY) {
            // Jetty's default URI compliance answers "400 Ambiguous empty segment" itself
            assertRefusedByContainer("/app//merged///x");
            return;
        }
        assertEquals(200, get("/app//merged///x").statusCode());
        assertEquals("/app/merged/x", topology().alpha.onlyRequestUnder("/app/merged").path());
    }

    @Test
    default void passMatchGroupRightAfterTheBalancerNameIsTheWholePath() {
        // ProxyPassMatch ^(/.*)$ balancer://mycluster$1, the sticky-session tutorial's rule; byrequests alternates
        assertEquals(200, get("/dollar-balancer/one?probe=balancer").statusCode());
        assertEquals(200, get("/dollar-balancer/two?probe=balancer").statusCode());
        // one request each; alpha's member URL has no path, beta's is /base
        String got = targetsReceived(topology().alpha, null, "probe=balancer") + ", "
                + targetsReceived(topology().beta, null, "probe=balancer");
        assertTrue(List.of("/dollar-balancer/one?probe=balancer, /base/dollar-balancer/two?probe=balancer",
                "/dollar-balancer/two?probe=balancer, /base/dollar-balancer/one?probe=balancer").contains(got), got);
    }

    @Test
    default void passMatchGroupRightAfterThePortIsTheWholePath() {
        // ProxyPassMatch (.*) http://host:port$1: the backend gets "GET /dollar-worker/ok", not two characters less
        assertEquals("/dollar-worker/ok?probe=worker",
                targetsReceived(topology().alpha, "/dollar-worker/ok?probe=worker", "probe=worker"));
    }

    @Test
    default void passMatchEmptyGroupAfterThePortSendsTheRootPath() {
        // httpd-tests' ^/reverse-slash(/.*)?$ http://host:port$1: for the bare path $1 is empty and httpd sends "/"
        assertEquals("/?probe=empty-group",
                targetsReceived(topology().beta, "/dollar-optional?probe=empty-group", "probe=empty-group"));
        assertEquals("/optional-x?probe=group",
                targetsReceived(topology().beta, "/dollar-optional/optional-x?probe=group", "probe=group"));
    }

    @Test
    default void passMatchGroupThatWouldRunIntoThePortIsRefused() {
        // httpd would read http://host:portzz and answer 400; Portico never guesses a path for it
        assertEquals(400, get("/dollar-gluedzz?probe=glued").statusCode());
        assertEquals("", targetsReceived(topology().beta, null, "probe=glued"), topology().beta.received().toString());
    }

    /**
     * Sends a GET of {@code pathAndQuery} (unless null), which must succeed, and gives the request targets
     * {@code backend} received with the query {@code query} (a {@code probe=...} that names the check), space-separated.
     */
    private String targetsReceived(Backend backend, String pathAndQuery, String query) {
        if (pathAndQuery != null) {
            HttpResponse<String> r = get(pathAndQuery);
            assertEquals(200, r.statusCode(), r.body());
        }
        return String.join(" ", backend.received(r -> query.equals(r.query())).stream().map(RecordedRequest::target).toList());
    }
}
