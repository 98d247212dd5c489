package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.PorticoProcess;

/** portico.manager-allow: the manager answers only clients from the listed networks, even the admin. */
@Timeout(120)
class StandaloneManagerAllowIT {

    private static PorticoProcess start(String allow, Path realm) throws Exception {
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web"><member url="http://127.0.0.1:9"/></balancer>
                  <pass path="/" to="balancer://web/"/>
                </portico>
                """);
        return PorticoProcess.start(List.of("-Dportico.manager-allow=" + allow),
                "--config", descriptor.toString(), "--realm", realm.toString(), "--port", "0");
    }

    @Test
    void anAdminFromOutsideTheListIsRefusedAndFromInsideAdmitted() throws Exception {
        Path realm = Files.createTempFile("portico-realm", ".properties");
        Files.writeString(realm, "admin: admin-secret,portico-admin\n");
        try (PorticoProcess outside = start("10.0.0.0/8,::2", realm)) {
            ManagerClient admin = new ManagerClient(outside.awaitUrl(Duration.ofSeconds(60)), "admin", "admin-secret");
            assertEquals(403, admin.get("/balancer-manager").statusCode());
            assertEquals(403, admin.get("/balancer-manager%2f").statusCode(), "every spelling");
            assertEquals(403, admin.get("/balancer-manager/metrics").statusCode(), "the metrics too");
            outside.awaitOutput("not in portico.manager-allow (10.0.0.0/8,::2)");
        }
        try (PorticoProcess inside = start("127.0.0.0/8", realm)) {
            ManagerClient admin = new ManagerClient(inside.awaitUrl(Duration.ofSeconds(60)), "admin", "admin-secret");
            assertEquals(200, admin.get("/balancer-manager").statusCode());
            assertEquals(200, admin.get("/balancer-manager/metrics").statusCode());
            assertEquals(401, admin.as(null, null).get("/balancer-manager").statusCode(), "the realm still applies");
        }
    }
}
