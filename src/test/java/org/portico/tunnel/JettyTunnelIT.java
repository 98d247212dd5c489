package org.portico.tunnel;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** Upgrade tunnels through the built WAR in embedded Jetty 12 (ee10): Jetty's own connection upgrade. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JettyTunnelIT implements TunnelBehaviour {

    private static TunnelTopology topology;

    @ArquillianResource
    private URL base;

    /**
     * The built WAR under its own name, so at /jetty-tunnels: a second /portico deployment in the same container JVM
     * was seen answering another test class's requests (README: Tests).
     */
    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        topology = TunnelTopology.start();
        System.setProperty("portico.descriptor", topology.descriptor.toString());
        return ShrinkWrap.create(WebArchive.class, "jetty-tunnels.war")
                .merge(ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/portico.war")));
    }

    @AfterAll
    static void stopBackends() throws Exception {
        System.clearProperty("portico.descriptor");
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }

    @Override
    public TunnelTopology tunnelTopology() {
        return topology;
    }

    @Override
    public URI base() {
        try {
            return base.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** See {@link TunnelBehaviour#closesIdleClientConnections}: run with -Dit.test, this class runs in Tomcat too. */
    @Override
    public boolean closesIdleClientConnections() {
        return !"tomcat".equals(System.getProperty("arquillian.launch"));
    }

    /** The container runs in this JVM: its threads are this JVM's, less the test's own backends and clients. */
    @Override
    public int proxyThreads() {
        return ContainerThreads.count();
    }
}
