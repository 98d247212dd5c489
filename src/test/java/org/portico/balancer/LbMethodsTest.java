package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lbmethods ServiceLoader finds. */
class LbMethodsTest {

    private final LbMethods methods = LbMethods.discover(getClass().getClassLoader());

    @Test
    void everyBuiltInMethodIsRegistered() {
        assertEquals(Set.of("byrequests", "bytraffic", "bybusyness", "heartbeat", "bylatency"), methods.names());
    }

    @Test
    void eachNameMakesItsMethod() {
        assertInstanceOf(ByRequests.class, methods.create("byrequests"));
        assertInstanceOf(ByTraffic.class, methods.create("bytraffic"));
        assertInstanceOf(ByBusyness.class, methods.create("bybusyness"));
        assertInstanceOf(Heartbeat.class, methods.create("heartbeat"));
        assertInstanceOf(ByLatency.class, methods.create("bylatency"));
    }

    @Test
    void eachBalancerGetsItsOwnInstance() {
        assertNotSame(methods.create("byrequests"), methods.create("byrequests"));
    }

    @Test
    void namesAreMatchedCaseSensitivelyAsHttpdDoes() {
        assertNull(methods.create("ByRequests"));
        assertNull(methods.create("roundrobin"));
    }
}
