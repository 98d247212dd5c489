package org.portico.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.PorticoProcess;

/**
 * What Jetty 12 (ee10) needs before a {@code %2F} reaches the WAR, for {@code encoded-slashes="on|nodecode"}: the
 * connector's URI compliance LEGACY ({@code jetty.httpConfig.uriCompliance=LEGACY} in jetty-home) and the web
 * app's servlet handler deciding ambiguous URIs, set by the context XML the README shows. The WAR is deployed
 * through that XML by Jetty's own XmlConfiguration, as jetty-home's deployer does.
 */
@Timeout(180)
class JettyEncodedSlashesIT {

    /** The README's context XML for a descriptor with encoded-slashes on or nodecode (war and descriptor filled in). */
    static final String CONTEXT_XML = """
            <?xml version="1.0"?>
            <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
            <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
              <Set name="contextPath">/portico</Set>
              <Set name="war">%s</Set>
              <Call name="setInitParameter"><Arg>portico.descriptor</Arg><Arg>%s</Arg></Call>
              <Get name="servletHandler"><Set name="decodeAmbiguousURIs">true</Set></Get>
            </Configure>
            """;

    private static Backend backend;
    private static Server server;
    private static ServerConnector stock;
    private static ServerConnector legacy;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.start("origin");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <settings encoded-slashes="nodecode"/>
                  <pass path="/app/" to="%s/app/"/>
                </portico>
                """.formatted(backend.origin()));
        String war = Path.of("target", "portico.war").toAbsolutePath().toString();
        Path withLine = Files.writeString(Files.createTempFile("portico-context", ".xml"), CONTEXT_XML.formatted(war, descriptor));
        Path withoutLine = Files.writeString(Files.createTempFile("portico-context", ".xml"), CONTEXT_XML.formatted(war, descriptor)
                .replace("<Set name=\"contextPath\">/portico</Set>", "<Set name=\"contextPath\">/without</Set>")
                .replace("  <Get name=\"servletHandler\"><Set name=\"decodeAmbiguousURIs\">true</Set></Get>\n", ""));

        server = new Server();
        // the realm web.xml names, as jetty-home's portico-realm module defines it
        server.addBean(new HashLoginService("portico",
                ResourceFactory.of(server).newResource(Path.of("src", "test", "resources", "portico.properties"))));
        stock = connector(new HttpConfiguration());
        HttpConfiguration lenient = new HttpConfiguration();
        lenient.setUriCompliance(UriCompliance.LEGACY);
        legacy = connector(lenient);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        contexts.addHandler(deploy(withLine));
        contexts.addHandler(deploy(withoutLine));
        server.setHandler(contexts);
        server.start();
    }

    private static ServerConnector connector(HttpConfiguration http) {
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        return c;
    }

    private static Handler deploy(Path contextXml) throws Exception {
        return (WebAppContext) new XmlConfiguration(ResourceFactory.of(server).newResource(contextXml)).configure();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static HttpResponse<String> get(ServerConnector connector, String path) {
        return Http.get(URI.create("http://127.0.0.1:" + connector.getLocalPort() + path));
    }

    @Test
    void withLegacyComplianceAndTheContextXmlAnEncodedSlashReachesTheBackendAsSent() {
        HttpResponse<String> r = get(legacy, "/portico/app/a%2Fb");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("/app/a%2Fb", backend.onlyRequestUnder("/app/a").target());
    }

    @Test
    void stockJettyRefusesItBeforePortico() {
        assertEquals(400, get(stock, "/portico/app/c%2Fd").statusCode());
        assertEquals(0, backend.receivedUnder("/app/c").size());
    }

    @Test
    void legacyComplianceAloneIsNotEnoughWithoutTheServletHandlersSetting() {
        assertEquals(400, get(legacy, "/without/app/e%2Ff").statusCode());
        assertEquals(0, backend.receivedUnder("/app/e").size());
    }
}
