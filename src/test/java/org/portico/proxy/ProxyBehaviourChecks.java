package org.portico.proxy;

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
 * The proxy core's behaviour, checked from outside against the built WAR deployed in a real servlet
 * container: one deployment, one descriptor ({@link ProxyTopology}), real backends on loopback.
 * A subclass per container supplies the deployment.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ProxyBehaviourChecks implements MappingBehaviour, BalancingBehaviour, EncodingBehaviour,
        HeaderBehaviour, BodyBehaviour, FailureBehaviour, ManagerProtection, MetricsBehaviour, RequestLimitsBehaviour,
        HealthBehaviour {

    /** The system property that tells Portico where its descriptor is (it wins over web.xml). */
    static final String DESCRIPTOR_PROPERTY = "portico.descriptor";

    private static ProxyTopology topology;

    @ArquillianResource
    private URL base;

    /**
     * Starts the backends, points Portico at their descriptor and returns a copy of the built WAR.
     * Called from the subclasses' {@code @Deployment} methods, before the container deploys it.
     */
    static WebArchive builtWarBehindTopology() throws Exception {
        topology = ProxyTopology.start();
        System.setProperty(DESCRIPTOR_PROPERTY, topology.descriptor.toString());
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/portico.war"));
    }

    @AfterAll
    static void stopBackends() throws Exception {
        System.clearProperty(DESCRIPTOR_PROPERTY);
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }

    @Override
    public ProxyTopology topology() {
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
}
