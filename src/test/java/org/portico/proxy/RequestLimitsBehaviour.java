package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.testkit.RawHttp.RawResponse;

/** Requests a reverse proxy refuses before any backend sees them, as httpd does. */
interface RequestLimitsBehaviour extends ProxyUnderTest {

    /**
     * CONNECT in origin form inside the web app: Portico answers 400 as httpd does, unless the container
     * refuses the form itself first (Jetty: 400). Either way nothing is forwarded. The authority form, which reaches a
     * web app only at the root, is checked on the standalone jar (StandaloneConnectIT).
     */
    @Test
    default void connectIsNeverForwarded() {
        RawResponse r = raw("CONNECT", "/alpha/connect/tunnel", null);
        if (r.bodyText().contains(PORTICO_DOCTYPE)) {
            assertEquals(400, r.status(), () -> r.statusLine() + "\n" + r.bodyText());
        } else {
            assertTrue(r.status() >= 400, () -> r.statusLine() + "\n" + r.bodyText());
        }
        assertEquals(List.of(), topology().alpha.receivedUnder("/connect/"));
    }

    /**
     * httpd's LimitRequestFields 100: Host and Connection count, so 98 more fields pass and 99 do not. Where Portico
     * answers (Jetty), with httpd's page; Tomcat's own maxHeaderCount (100) answers first there.
     */
    @Test
    default void moreThanAHundredHeaderFieldsGetBadRequest() {
        RawResponse hundred = rawGet("/alpha/fields/hundred", fields(98));
        assertEquals(200, hundred.status(), () -> hundred.statusLine() + "\n" + hundred.bodyText());
        assertEquals(1, topology().alpha.receivedUnder("/fields/hundred").size());

        RawResponse tooMany = rawGet("/alpha/fields/too-many", fields(99));
        assertEquals(400, tooMany.status(), () -> tooMany.statusLine() + "\n" + tooMany.bodyText());
        if (tooMany.bodyText().contains(PORTICO_DOCTYPE)) { // Tomcat refuses a 101st field itself (maxHeaderCount)
            assertTrue(tooMany.bodyText().contains("<br />\nThe number of request header fields exceeds this server's limit.</p>"),
                    "httpd's page: " + tooMany.bodyText());
        }
        assertEquals(List.of(), topology().alpha.receivedUnder("/fields/too-many"));
    }

    private static String[] fields(int n) {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // a repeated name counts once per line, as httpd counts lines
            lines.add((i % 2 == 0 ? "X-Field-" + i : "X-Repeated") + ": " + i);
        }
        return lines.toArray(String[]::new);
    }
}
