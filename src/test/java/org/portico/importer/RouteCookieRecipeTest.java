package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manual's ROUTEID recipe (mod_headers) imported as route-cookie on the balancers whose cookie it sets. */
class RouteCookieRecipeTest {

    @TempDir
    Path dir;

    @Test
    void theManualsRecipeBecomesRouteCookieOnTheBalancerWithThatStickyCookie() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED
                <Proxy balancer://mycluster>
                  BalancerMember http://127.0.0.1:9001 route=1
                  BalancerMember http://127.0.0.1:9002 route=2
                  ProxySet stickysession=ROUTEID
                </Proxy>
                <Proxy balancer://other>
                  BalancerMember http://127.0.0.1:9003 route=3
                  ProxySet stickysession=JSESSIONID|jsessionid
                </Proxy>
                ProxyPass /a/ balancer://mycluster/
                ProxyPass /b/ balancer://other/
                """);
        String text = Imported.canonicalText(r.descriptor());
        assertTrue(text.matches("(?s).*balancer[^\\n]*name=mycluster[^\\n]*route-cookie=true.*"), text);
        assertTrue(text.matches("(?s).*balancer[^\\n]*name=other(?![^\\n]*route-cookie).*"), text);
        String report = Imported.reportText(r);
        assertTrue(report.contains(":1: note: Header add Set-Cookie"), report);
        assertTrue(report.contains("imported as route-cookie=\"true\" on balancer://mycluster"), report);
    }

    @Test
    void anotherSpellingIsImportedWithANoteSayingWhatPorticoWrites() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001 route=n1
                  ProxySet stickysession=ROUTEID
                </Proxy>
                ProxyPass /a/ balancer://c/
                Header always set Set-Cookie "ROUTEID=x.%{BALANCER_WORKER_ROUTE}e; path=/app; HttpOnly" env=BALANCER_ROUTE_CHANGED
                """);
        String report = Imported.reportText(r);
        assertTrue(report.contains("Portico writes ROUTEID=<session>.<route>; path=/, not 'ROUTEID=x.%{BALANCER_WORKER_ROUTE}e;"
                + " path=/app; HttpOnly'"), report);
    }

    @Test
    void otherHeaderLinesAndARecipeForNoBalancerAreReportedNotImported() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                Header set X-Frame-Options DENY
                Header add Set-Cookie "SESS=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED
                ProxyPass /a/ http://127.0.0.1:9001/
                """);
        assertEquals(java.util.List.of("1 not imported", "2 not imported"), Imported.reportLines(r));
        assertTrue(Imported.reportText(r).contains("no balancer has stickysession=SESS"), Imported.reportText(r));
    }
}
