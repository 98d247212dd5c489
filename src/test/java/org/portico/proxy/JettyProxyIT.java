package org.portico.proxy;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The proxy checks in embedded Jetty 12 (ee10), realm from src/test/resources/portico.properties. */
class JettyProxyIT extends ProxyBehaviourChecks {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        return builtWarBehindTopology();
    }

    @Override
    public Container container() {
        return Container.JETTY;
    }
}
