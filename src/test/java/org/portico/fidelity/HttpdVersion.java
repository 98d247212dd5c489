package org.portico.fidelity;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The installed httpd's version line, for reports. */
final class HttpdVersion {

    private HttpdVersion() {
    }

    static String text() {
        try {
            Process p = new ProcessBuilder(HttpdProcess.BINARY.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("httpd").replace("Server version: ", "");
        } catch (Exception e) {
            return "httpd";
        }
    }
}
