package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portico.testkit.Http;
import org.portico.testkit.PorticoProcess;

/**
 * --httpd-config acts on the balancer-manager's {@code <Location>}: its {@code Require} lines become the
 * manager's allow-list, so an admin from outside the imported networks gets 403 and one from inside gets in.
 */
@Timeout(180)
class StandaloneImportedManagerAllowIT {

    @TempDir
    Path dir;

    private PorticoProcess run(String require) throws Exception {
        Path conf = Files.writeString(dir.resolve("httpd.conf"), """
                ProxyPass /balancer-manager !
                ProxyPass / http://127.0.0.1:9/
                <Location /balancer-manager>
                    SetHandler balancer-manager
                    %s
                </Location>
                """.formatted(require));
        Path realm = Files.writeString(dir.resolve("realm.properties"), "admin: admin-secret,portico-admin\n");
        return PorticoProcess.start(List.of(), "--httpd-config", conf.toString(), "--realm", realm.toString(), "--port", "0");
    }

    private static HttpResponse<String> managerAsAdmin(PorticoProcess portico) throws Exception {
        String base = portico.awaitUrl(Duration.ofSeconds(60));
        return Http.get(URI.create(base + "balancer-manager"), "Authorization", Http.basic("admin", "admin-secret"));
    }

    @Test
    void anAdminOutsideTheImportedRequireIpNetworkIsRefused() throws Exception {
        try (PorticoProcess portico = run("Require ip 10.0.0.0/8")) {
            assertEquals(403, managerAsAdmin(portico).statusCode(), portico.output());
            assertTrue(portico.output().contains("admits only 10.0.0.0/8"), portico.output());
        }
    }

    @Test
    void anAdminOnLoopbackGetsInWithRequireLocal() throws Exception {
        try (PorticoProcess portico = run("Require local")) {
            HttpResponse<String> r = managerAsAdmin(portico);
            assertEquals(200, r.statusCode(), portico.output());
            assertTrue(r.body().contains("Load Balancer Manager"), r.body());
            assertTrue(portico.output().contains("admits only 127.0.0.0/8,::1/128"), portico.output());
        }
    }
}
