package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.portico.testkit.Http;
import org.portico.testkit.ManagerSpellings;
import org.portico.testkit.RawHttp.RawResponse;

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

    @Test
    default void noSpellingOfTheManagerPathShowsItWithoutCredentials() {
        for (String target : ManagerSpellings.ALL) {
            RawResponse r = rawGet(target);
            assertFalse(ManagerSpellings.showsTheManager(r.bodyText()), () -> target + " -> " + r.statusLine() + "\n" + r.bodyText());
            assertNotEquals(403, r.status(), () -> target + ": without credentials the answer is a challenge, not 403");
        }
    }

    @Test
    default void noSpellingOfTheManagerPathShowsItToAUserWithoutTheRole() {
        for (String target : ManagerSpellings.ALL) {
            RawResponse r = rawGet(target, "Authorization: " + Http.basic("guest", "guest-secret"));
            assertFalse(ManagerSpellings.showsTheManager(r.bodyText()), () -> target + " -> " + r.statusLine() + "\n" + r.bodyText());
        }
    }

    @Test
    default void noSpellingOfTheManagerPathTakesAPostWithoutCredentials() {
        for (String target : ManagerSpellings.ALL) {
            RawResponse r = raw("POST", target, "b=cluster&w=x&w_status_D=1&nonce=x", "Origin: http://" + front(),
                    "Content-Type: application/x-www-form-urlencoded", "Content-Length: 34");
            assertFalse(ManagerSpellings.showsTheManager(r.bodyText()), () -> target + " -> " + r.statusLine() + "\n" + r.bodyText());
            assertFalse(r.bodyText().contains("nonce: "), () -> target + " reached the manager's checks: " + r.bodyText());
        }
    }
}
