package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Http;

/**
 * web.xml restricts /balancer-manager to role portico-admin with BASIC auth in realm "portico";
 * the containers' test realms know admin (portico-admin) and guest (user).
 */
interface ManagerProtection extends ProxyUnderTest {

    @Test
    default void balancerManagerAsksForCredentials() {
        HttpResponse<String> r = get("/balancer-manager");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("realm=\"portico\""),
                () -> r.headers().map().toString());
    }

    @Test
    default void balancerManagerRefusesAWrongPassword() {
        assertEquals(401, get("/balancer-manager", "Authorization", Http.basic("admin", "wrong")).statusCode());
    }

    @Test
    default void balancerManagerIsForbiddenToAUserWithoutTheAdminRole() {
        assertEquals(403, get("/balancer-manager", "Authorization", Http.basic("guest", "guest-secret")).statusCode());
    }

    @Test
    default void balancerManagerLetsTheAdminPastTheConstraint() {
        // what answers behind the constraint is not built yet; only the constraint is checked here
        int status = get("/balancer-manager", "Authorization", Http.basic("admin", "admin-secret")).statusCode();
        assertNotEquals(401, status);
        assertNotEquals(403, status);
    }
}
