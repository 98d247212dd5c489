package org.portico.testkit;

import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The child JVM of {@link AjpTomcat}: args are the AJP secret and the jvmRoute ("-" for none), Tomcat's base directory
 * and the AJP connector's packetSize.
 */
public final class AjpTomcatMain {

    static final String READY = "AJP-TOMCAT-READY";

    private AjpTomcatMain() {
    }

    public static void main(String[] args) throws Exception {
        String secret = "-".equals(args[0]) ? null : args[0];
        String route = "-".equals(args[1]) ? null : args[1];
        Path base = Path.of(args[2]);
        int packetSize = Integer.parseInt(args[3]);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        if (route != null) {
            tomcat.getEngine().setJvmRoute(route);
        }
        Connector http = new Connector("HTTP/1.1");
        http.setPort(0);
        http.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(http);
        Connector ajp = new Connector("org.apache.coyote.ajp.AjpNioProtocol");
        ajp.setPort(0);
        ajp.setProperty("address", "127.0.0.1");
        ajp.setProperty("secretRequired", Boolean.toString(secret != null));
        ajp.setProperty("packetSize", Integer.toString(packetSize));
        if (secret != null) {
            ajp.setProperty("secret", secret);
        }
        tomcat.getService().addConnector(ajp);
        Context ctx = tomcat.addContext("", base.toString());
        Tomcat.addServlet(ctx, "echo", new EchoServlet(route));
        ctx.addServletMappingDecoded("/", "echo");
        tomcat.start();
        System.out.println(READY + " " + ajp.getLocalPort() + " " + http.getLocalPort());
        System.out.flush();
        // ends with the parent: its end closes our standard input
        while (System.in.read() >= 0) {
            // nothing to read; wait for the end
        }
        tomcat.stop();
        tomcat.destroy();
        System.exit(0);
    }
}
