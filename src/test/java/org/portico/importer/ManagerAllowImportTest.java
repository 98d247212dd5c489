package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The balancer-manager's {@code <Location>} access rules become {@code portico.manager-allow}; what Portico cannot
 * honour there is reported as not imported with its line, never dropped.
 */
class ManagerAllowImportTest {

    @TempDir
    Path dir;

    private HttpdImport.Result imported(String managerSection) throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", "ProxyPass /balancer-manager !\nProxyPass / http://127.0.0.1:9001/\n"
                + managerSection);
        Imported.assertValid(r.descriptor());
        return r;
    }

    private String notImportedAt(HttpdImport.Result r, int line) {
        String prefix = dir.resolve("httpd.conf") + ":" + line + ": not imported: ";
        return Imported.reportText(r).lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no 'not imported' at line " + line + " in\n" + Imported.reportText(r)));
    }

    @Test
    void requireIpLinesBecomeTheAllowListInHttpdsNotations() throws Exception {
        HttpdImport.Result r = imported("""
                <Location "/balancer-manager">
                    SetHandler balancer-manager
                    Require ip 10.0.0.0/8 192.168 172.16.0.0/255.240.0.0
                    Require ip 2001:db8::/32 ::1
                </Location>
                """);
        assertEquals("10.0.0.0/8,192.168.0.0/16,172.16.0.0/12,2001:db8::/32,::1/128", r.managerAllow());
        assertTrue(Imported.reportText(r).contains("imported as portico.manager-allow=10.0.0.0/8,"), Imported.reportText(r));
    }

    @Test
    void requireLocalAndRequireHostLocalhostAreTheLoopbackNetworks() throws Exception {
        assertEquals("127.0.0.0/8,::1/128", imported("""
                <Location /balancer-manager>
                    Require local
                </Location>
                """).managerAllow());
        assertEquals("127.0.0.1/32,::1/128", imported("""
                <LocationMatch "^/balancer-manager">
                    Require host localhost
                </LocationMatch>
                """).managerAllow());
    }

    @Test
    void httpd22OrderDenyAllowWithDenyFromAllAllowsTheAllowFromNetworks() throws Exception {
        HttpdImport.Result r = imported("""
                <Location /balancer-manager>
                    SetHandler balancer-manager
                    Order deny,allow
                    Deny from all
                    Allow from 10.1 localhost
                </Location>
                """);
        assertEquals("10.1.0.0/16,127.0.0.1/32,::1/128", r.managerAllow());
    }

    @Test
    void whatPorticoCannotHonourIsReportedWithItsLineAndLimitsNothing() throws Exception {
        HttpdImport.Result r = imported("""
                <Location /balancer-manager>
                    Require host example.com
                    Require env TRUSTED
                </Location>
                """);
        assertNull(r.managerAllow());
        assertTrue(notImportedAt(r, 4).contains("Require host example.com: Portico admits the manager by address"),
                Imported.reportText(r));
        assertTrue(notImportedAt(r, 5).contains("Require env TRUSTED"), Imported.reportText(r));
    }

    @Test
    void anAddressOrALoginAsAlternativesIsReportedNotNarrowed() throws Exception {
        HttpdImport.Result r = imported("""
                <Location /balancer-manager>
                    Require ip 10.0.0.0/8
                    Require valid-user
                    <RequireAny>
                        Require ip 192.168.0.0/16
                    </RequireAny>
                </Location>
                """);
        assertNull(r.managerAllow(), "in httpd either suffices: narrowing to the network would lock out a logged-in admin");
        assertTrue(notImportedAt(r, 4).contains("an alternative to the login"), Imported.reportText(r));
        assertTrue(notImportedAt(r, 5).contains("Require valid-user"), Imported.reportText(r));
        assertTrue(notImportedAt(r, 6).contains("<RequireAny>"), Imported.reportText(r));
    }

    @Test
    void requireAllOfANetworkAndTheLoginIsWhatPorticoDoes() throws Exception {
        HttpdImport.Result r = imported("""
                <Location /balancer-manager>
                    AuthType Basic
                    <RequireAll>
                        Require ip 10.0.0.0/8
                        Require valid-user
                    </RequireAll>
                </Location>
                """);
        assertEquals("10.0.0.0/8", r.managerAllow());
        assertTrue(Imported.reportText(r).contains("Require valid-user: the container's realm asks for the login"),
                Imported.reportText(r));
        assertTrue(notImportedAt(r, 4).contains("AuthType Basic"), "other lines are reported as before");
    }

    @Test
    void aDenyListAndOtherLocationsAreNotTheManagersAllowList() throws Exception {
        HttpdImport.Result r = imported("""
                <Location /balancer-manager>
                    Order allow,deny
                    Allow from all
                    Deny from 10.9.9.9
                </Location>
                <Location /app>
                    Require ip 10.0.0.0/8
                </Location>
                """);
        assertNull(r.managerAllow());
        assertTrue(notImportedAt(r, 6).contains("Portico has no deny-list"), Imported.reportText(r));
        assertTrue(notImportedAt(r, 9).contains("access control is the container's"), Imported.reportText(r));
    }

    @Test
    void httpdsNetworkNotationsAreNormalised() {
        assertEquals("10.0.0.0/8", HttpdNetwork.cidr("10"));
        assertEquals("10.2.3.4/32", HttpdNetwork.cidr("10.2.3.4"));
        assertEquals("10.0.0.0/8", HttpdNetwork.cidr("10.0.0.0/255.0.0.0"));
        assertNull(HttpdNetwork.cidr("10.0.0.0/255.0.255.0"), "a netmask with a hole");
        assertNull(HttpdNetwork.cidr("example.com"));
        assertNull(HttpdNetwork.cidr("300.1"));
        assertEquals("fe80::/10", HttpdNetwork.cidr("fe80::/10"));
        assertNull(HttpdNetwork.cidr("1:2:3:4:5:6:7:8:9"));
    }
}
