package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** balancer:// targets with byrequests (spec section 4.3): exact, deterministic sequences. */
interface BalancingBehaviour extends ProxyUnderTest {

    @Test
    default void byRequestsWithEqualFactorsAlternatesBetweenMembersInConfigurationOrder() {
        assertEquals(List.of("alpha", "beta", "alpha", "beta"), membersAnswering("/rr/", 4));
        // the member's own path is kept and the request's remainder is appended to it
        assertEquals("/rr/request-0", topology().alpha.onlyRequestUnder("/rr/request-0").path());
        assertEquals("/rr/request-1", topology().beta.onlyRequestUnder("/rr/request-1").path());
    }

    @Test
    default void byRequestsWithLoadFactorsOneAndTwoRepeatsBAB() {
        assertEquals(List.of("beta", "alpha", "beta", "beta", "alpha", "beta"), membersAnswering("/weighted/", 6));
    }

    /** Sends {@code count} sequential requests under {@code prefix} and names the member that answered each. */
    private List<String> membersAnswering(String prefix, int count) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> r = get(prefix + "request-" + i);
            assertEquals(200, r.statusCode(), r::body);
            members.add(r.headers().firstValue("X-Backend").orElse("?"));
        }
        return members;
    }
}
