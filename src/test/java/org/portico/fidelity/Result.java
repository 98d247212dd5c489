package org.portico.fidelity;

/**
 * One scenario's outcome.
 *
 * @param reason the listed reason for a difference, or null
 * @param note something to tell about a listing, e.g. a known difference that no longer shows
 * @param times how long each side took, not compared
 */
record Result(String config, Scenario scenario, Verdict verdict, String reason, String httpd, String portico,
              String diff, String note, String times) {

    Result withTimes(String measured) {
        return new Result(config, scenario, verdict, reason, httpd, portico, diff, note, measured);
    }

    static Result of(String config, Scenario scenario, String httpd, String portico) {
        String name = scenario.name();
        String purpose = Differences.ON_PURPOSE.get(name);
        String known = Differences.KNOWN.get(name);
        String container = Differences.CONTAINER.get(name);
        if (httpd.equals(portico)) {
            String note = purpose != null ? "listed as on purpose but agrees now: take it off Differences.ON_PURPOSE"
                    : container != null ? "listed as the container's but agrees now: take it off Differences.CONTAINER"
                    : known != null ? "listed as known but agrees in this run: take it off Differences.KNOWN once it agrees in every run" : null;
            return new Result(config, scenario, Verdict.AGREE, null, httpd, portico, "", note, null);
        }
        String diff = LineDiff.of(httpd, portico);
        if (purpose != null) {
            return new Result(config, scenario, Verdict.ON_PURPOSE, purpose, httpd, portico, diff, null, null);
        }
        if (container != null) {
            return new Result(config, scenario, Verdict.CONTAINER, container, httpd, portico, diff, null, null);
        }
        if (known != null) {
            return new Result(config, scenario, Verdict.KNOWN, known, httpd, portico, diff, null, null);
        }
        return new Result(config, scenario, Verdict.DIFFER, null, httpd, portico, diff, null, null);
    }
}
