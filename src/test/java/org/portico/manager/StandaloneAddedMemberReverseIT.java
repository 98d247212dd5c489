package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portico.testkit.Backend;
import org.portico.testkit.PorticoProcess;

/**
 * ProxyPassReverse for {@code balancer://name/} covers the members the balancer-manager adds at run time, as
 * httpd's does (it compares the header with every member of the balancer as it is now).
 */
class StandaloneAddedMemberReverseIT {

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aRedirectFromAMemberAddedAtRunTimeIsMappedBackToTheProxy() throws Exception {
        try (Backend first = Backend.start("first"); Backend added = Backend.start("added")) {
            Path realm = Files.writeString(dir.resolve("realm.properties"), "admin: admin-secret,portico-admin\n");
            Path descriptor = Files.writeString(dir.resolve("portico.xml"), """
                    <portico xmlns="urn:portico:descriptor:1">
                      <balancer name="grow" growth="1"><member url="%s"/></balancer>
                      <pass path="/grow/" to="balancer://grow/"/>
                      <reverse path="/explicit" url="balancer://grow/moved"/>
                    </portico>
                    """.formatted(first.origin()));
            try (PorticoProcess portico = PorticoProcess.start(List.of(), "--config", descriptor.toString(),
                    "--realm", realm.toString(), "--port", "0")) {
                ManagerClient admin = new ManagerClient(portico.awaitUrl(Duration.ofSeconds(60)), "admin", "admin-secret");
                assertEquals(200, admin.post("b", "grow", "nonce", admin.nonce("grow"),
                        "b_nwrkr", added.origin(), "b_wyes", "1").statusCode());
                // the new member takes all traffic: enabled, and the declared one disabled
                assertEquals(200, admin.post("b", "grow", "nonce", admin.nonce("grow"),
                        "w", added.origin(), "w_status_D", "0").statusCode());
                assertEquals(200, admin.post("b", "grow", "nonce", admin.nonce("grow"),
                        "w", first.origin(), "w_status_D", "1").statusCode());

                HttpResponse<String> implied = admin.get("/grow/redirect?to="
                        + URLEncoder.encode(added.origin() + "/landing", StandardCharsets.UTF_8));
                assertEquals(302, implied.statusCode(), implied.body() + portico.output());
                assertEquals("added", implied.headers().firstValue("X-Backend").orElse(""));
                assertEquals(admin.origin + "/grow/landing", implied.headers().firstValue("Location").orElse(""),
                        "the reverse mapping implied by <pass to=\"balancer://grow/\">");

                HttpResponse<String> explicit = admin.get("/grow/redirect?to="
                        + URLEncoder.encode(added.origin() + "/moved/here", StandardCharsets.UTF_8));
                assertEquals(302, explicit.statusCode(), explicit.body() + portico.output());
                assertEquals(admin.origin + "/explicit/here", explicit.headers().firstValue("Location").orElse(""),
                        "<reverse url=\"balancer://grow/moved\">: member + /moved + rest becomes path + rest");
            }
        }
    }
}
