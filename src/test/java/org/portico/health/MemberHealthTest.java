package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.portico.config.HealthCheck;

/** httpd's cumulative pcount/fcount: the opposite outcome does not reset them. */
class MemberHealthTest {

    private static final HealthCheck HC = new HealthCheck("GET", "", Duration.ofMillis(100), 2, 3, "");
    private static final CheckOutcome PASS = new CheckOutcome(true, "status 200", 0, 0);
    private static final CheckOutcome FAIL = new CheckOutcome(false, "status 500", 0, 0);

    @Test
    void failuresCountCumulativelyWhileHealthy() {
        MemberHealth h = new MemberHealth();
        assertEquals(MemberHealth.Transition.NONE, h.record(FAIL, false, HC));
        assertEquals(MemberHealth.Transition.NONE, h.record(PASS, false, HC)); // no reset, as httpd
        assertEquals(MemberHealth.Transition.NONE, h.record(FAIL, false, HC));
        assertEquals(2, h.view().fcount());
        assertEquals(MemberHealth.Transition.FAIL, h.record(FAIL, false, HC));
        assertEquals(0, h.view().fcount());
        assertEquals(4, h.view().checks());
    }

    @Test
    void passesCountCumulativelyWhileFailed() {
        MemberHealth h = new MemberHealth();
        assertEquals(MemberHealth.Transition.NONE, h.record(PASS, true, HC));
        assertEquals(MemberHealth.Transition.NONE, h.record(FAIL, true, HC));
        assertEquals(1, h.view().pcount());
        assertEquals(MemberHealth.Transition.RECOVER, h.record(PASS, true, HC));
        assertEquals(0, h.view().pcount());
        assertEquals(PASS, h.view().last());
    }

    @Test
    void passedChecksAreCountedSinceStartWhateverTheState() {
        MemberHealth h = new MemberHealth();
        h.record(PASS, false, HC);
        h.record(FAIL, false, HC);
        h.record(PASS, true, HC);
        h.record(FAIL, true, HC);
        h.record(FAIL, false, HC);
        assertEquals(5, h.view().checks());
        assertEquals(2, h.view().passed()); // 3 failed: checks - passed, what the metrics report
    }
}
