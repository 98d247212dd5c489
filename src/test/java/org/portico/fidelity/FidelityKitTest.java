package org.portico.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.portico.testkit.RecordedRequest;
import org.portico.testkit.RecordedRequest.Field;

/** The kit's own logic, without httpd: the lists, the normalisation and the diff. */
class FidelityKitTest {

    private static final Map<Integer, String> BACKEND_PORTS = Map.of(40001, "b1");

    private static WireClient.Answer answer(String statusLine, List<Field> headers, String body) {
        return new WireClient.Answer(List.of(), statusLine, headers, body.getBytes(StandardCharsets.ISO_8859_1), true,
                null, 12);
    }

    private static String observe(Set<Normaliser> normalisers, int frontPort, WireClient.Answer answer,
                                  List<RecordedRequest> received) {
        Observation o = new Observation(normalisers, frontPort, BACKEND_PORTS);
        o.add(1, Send.get("/x"), answer, received);
        return o.text();
    }

    @Test
    void everyListedDifferenceNamesOneScenarioAndEverySeedConfigurationRuns() {
        List<FrontConfig> configs = Catalogue.configs();
        Differences.check(configs);
        long scenarios = configs.stream().mapToLong(c -> c.scenarios().size()).sum();
        assertTrue(scenarios >= 60, scenarios + " scenarios");
        for (String seed : List.of("seed1", "seed2", "seed3", "seed4", "seed5", "seed6", "seed7")) {
            assertTrue(configs.stream().flatMap(c -> c.scenarios().stream()).anyMatch(s -> s.name().startsWith(seed + ".")),
                    seed + " drives no scenario");
        }
    }

    @Test
    void frontAndBackendPortsBecomeNamesSoTwoFrontsCompareEqual() {
        List<RecordedRequest> received = List.of(new RecordedRequest("b1", "GET", "/x",
                List.of(new Field("Host", "127.0.0.1:40001"), new Field("X-Forwarded-Host", "127.0.0.1:30001")), new byte[0]));
        List<RecordedRequest> other = List.of(new RecordedRequest("b1", "GET", "/x",
                List.of(new Field("X-Forwarded-Host", "127.0.0.1:30002"), new Field("host", "127.0.0.1:40001")), new byte[0]));
        WireClient.Answer a = answer("HTTP/1.1 302 Found", List.of(new Field("Location", "http://127.0.0.1:30001/y"),
                new Field("Date", "Mon"), new Field("X-Backend", "b1")), "");
        WireClient.Answer b = answer("HTTP/1.1 302 Found", List.of(new Field("location", "http://127.0.0.1:30002/y"),
                new Field("Server", "Jetty"), new Field("X-Backend", "b1")), "");
        String httpd = observe(Set.of(), 30001, a, received);
        assertEquals(httpd, observe(Set.of(), 30002, b, other));
        assertTrue(httpd.contains("location: http://FRONT/y") && httpd.contains("host: b1"), httpd);
    }

    @Test
    void contentTypeSpacingIsLeftAsideUnlessTheScenarioIsStrict() {
        WireClient.Answer httpd = answer("HTTP/1.1 200 OK", List.of(new Field("Content-Type", "text/plain; charset=UTF-8"),
                new Field("X-Backend", "b1")), "hi");
        WireClient.Answer portico = answer("HTTP/1.1 200 OK", List.of(new Field("Content-Type", "text/plain;charset=utf-8"),
                new Field("X-Backend", "b1")), "hi");
        Set<Normaliser> lenient = Set.of(Normaliser.CONTENT_TYPE_SPACING);
        assertEquals(observe(lenient, 1, httpd, List.of()), observe(lenient, 1, portico, List.of()));
        assertNotEquals(observe(Set.of(), 1, httpd, List.of()), observe(Set.of(), 1, portico, List.of()));
    }

    @Test
    void aPageTheProxyMadeIsComparedByStatusAloneWhenTheScenarioSaysSo() {
        WireClient.Answer httpd = answer("HTTP/1.1 503 Service Unavailable",
                List.of(new Field("Content-Type", "text/html; charset=iso-8859-1")), "<p>httpd's words</p>");
        WireClient.Answer portico = answer("HTTP/1.1 503 Unavailable", List.of(new Field("Content-Type", "text/html"),
                new Field("Cache-Control", "no-cache")), "<p>Portico's words</p>");
        Set<Normaliser> statusOnly = Set.of(Normaliser.REASON_PHRASE, Normaliser.ERROR_PAGE_TEXT);
        assertEquals(observe(statusOnly, 1, httpd, List.of()), observe(statusOnly, 1, portico, List.of()));
        assertNotEquals(observe(Set.of(), 1, httpd, List.of()), observe(Set.of(), 1, portico, List.of()));
    }

    @Test
    void theDiffMarksHttpdLinesWithMinusAndPorticoLinesWithPlusAroundTheRequest() {
        String diff = LineDiff.of("> GET /x\nHTTP/1.1 200 OK\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n  e: 5",
                "> GET /x\nHTTP/1.1 200 OK\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n  e: 6");
        assertEquals("  > GET /x\n  ...\n    d: 4\n-   e: 5\n+   e: 6\n", diff);
    }

    @Test
    void aDifferenceIsOnPurposeOrTheContainersOnlyWhenListedAndAListedOneThatAgreesAsksToBeTakenOff() {
        Scenario onPurpose = listed(Differences.ON_PURPOSE.keySet());
        Scenario container = listed(Differences.CONTAINER.keySet());
        assertEquals(Verdict.ON_PURPOSE, Result.of("c", onPurpose, "a", "b").verdict());
        assertEquals(Verdict.CONTAINER, Result.of("c", container, "a", "b").verdict());
        assertEquals(Verdict.AGREE, Result.of("c", onPurpose, "a", "a").verdict());
        assertTrue(Result.of("c", onPurpose, "a", "a").note().contains("take it off"));
        assertTrue(Result.of("c", container, "a", "a").note().contains("take it off"));
        assertEquals(Verdict.DIFFER, Result.of("c", Scenario.of("not.listed", "", Send.get("/")), "a", "b").verdict());
    }

    private static Scenario listed(Set<String> names) {
        return names.stream().findFirst().map(n -> Scenario.of(n, "", Send.get("/"))).orElseThrow();
    }
}
