package org.portico.tunnel;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tunnel checks against the built WAR in an embedded container: one deployment behind one {@link TunnelTopology}.
 * A subclass per container supplies the deployment.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class TunnelChecks implements TunnelBehaviour {

    private static TunnelTopology topology;

    @ArquillianResource
    private URL base;

    /**
     * Starts the backends, points Portico at their descriptor and returns a copy of the built WAR named {@code name}:
     * a second /portico deployment in the same container JVM was seen answering another test class's requests
     * (README: Tests). Called from the subclasses' {@code @Deployment} methods.
     */
    static WebArchive builtWarBehindTopology(String name) throws Exception {
        topology = TunnelTopology.start();
        System.setProperty("portico.descriptor", topology.descriptor.toString());
        return ShrinkWrap.create(WebArchive.class, name)
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

    /**
     * See {@link TunnelBehaviour#closesIdleClientConnections}: Tomcat closes it at the client's next move. Asked of the
     * container that runs, since -Dit.test runs either class in both containers.
     */
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
