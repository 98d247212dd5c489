package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Attempts;
import org.portico.balancer.Balancer;
import org.portico.balancer.LbMethods;
import org.portico.balancer.Worker;
import org.portico.config.DescriptorLoader;
import org.portico.config.StatusFlag;
import org.portico.proxy.Gateway;

/** eject-after: N failures in the window eject a member for its retry time; never more than half at once. */
class OutlierEjectionTest {

    private Gateway gateway;

    private Balancer balancer(int members, String extra) throws Exception {
        StringBuilder xml = new StringBuilder("<portico xmlns=\"urn:portico:descriptor:1\"><balancer name=\"b\" eject-after=\"3 in 10s\">");
        for (int i = 0; i < members; i++) {
            xml.append("<member url=\"http://127.0.0.1:").append(9 + i).append("\" retry=\"5s\"").append(i == 0 ? extra : "").append("/>");
        }
        xml.append("</balancer></portico>");
        gateway = new Gateway(DescriptorLoader.load(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)),
                "test.xml", null), LbMethods.discover(getClass().getClassLoader()));
        return gateway.balancer("b");
    }

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static void answered(Balancer b, Worker w, int status, long now) {
        Attempts a = b.attempts();
        a.completed(w, status, false, now);
    }

    @Test
    void threeFivexxInTheWindowEjectAMemberForItsRetryTime() throws Exception {
        Balancer b = balancer(4, "");
        Worker w = b.members().get(0);
        long now = System.currentTimeMillis();
        answered(b, w, 500, now);
        answered(b, w, 200, now + 100);
        answered(b, w, 503, now + 200);
        assertFalse(w.has(StatusFlag.IN_ERROR));
        answered(b, w, 502, now + 300);
        assertTrue(w.has(StatusFlag.IN_ERROR));
        assertEquals(now + 300, w.errorTimeMillis());
        OutlierEjection.Ejected e = gateway.health().ejected(b, w);
        assertNotNull(e);
        assertEquals(now + 300 + 5_000, e.untilMillis(), "for the member's retry time");
        assertTrue(e.reason().startsWith("3 failures in 10000 ms, the last: answered 502"), e.reason());
        assertFalse(w.retryIfDue(now + 5_000), "no traffic until retry has passed");
        assertTrue(w.retryIfDue(now + 5_301));
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() throws Exception {
        Balancer b = balancer(4, "");
        Worker w = b.members().get(0);
        long now = System.currentTimeMillis();
        answered(b, w, 500, now);
        answered(b, w, 500, now + 6_000);
        answered(b, w, 500, now + 12_000); // the first fell out of the 10 s window
        assertFalse(w.has(StatusFlag.IN_ERROR));
        b.attempts().failed(w, 503, now + 13_000); // a connection failure counts too
        assertTrue(w.has(StatusFlag.IN_ERROR));
    }

    @Test
    void neverMoreThanHalfTheMembersAreEjected() throws Exception {
        Balancer b = balancer(4, "");
        long now = System.currentTimeMillis();
        for (Worker w : b.members()) {
            for (int i = 0; i < 3; i++) {
                answered(b, w, 500, now + i);
            }
        }
        List<Boolean> ejected = b.members().stream().map(w -> gateway.health().ejected(b, w) != null).toList();
        assertEquals(List.of(true, true, false, false), ejected);
        assertFalse(b.members().get(2).has(StatusFlag.IN_ERROR));
    }

    @Test
    void aMemberThatIgnoresErrorsIsNotEjected() throws Exception {
        Balancer b = balancer(2, " status=\"+I\"");
        Worker w = b.members().get(0);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            answered(b, w, 500, now + i);
        }
        assertNull(gateway.health().ejected(b, w));
    }
}
