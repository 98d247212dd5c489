package org.portico.proxy;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.portico.testkit.TomcatContext;

/**
 * The proxy checks in embedded Tomcat 11. The Tomcat adapter has no realm setting, so this test's
 * copy of the WAR (never the built one) gets a META-INF/context.xml with a MemoryRealm.
 */
class TomcatProxyIT extends ProxyBehaviourChecks {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        return TomcatContext.withRealm(builtWarBehindTopology());
    }

    @Override
    public Container container() {
        return Container.TOMCAT;
    }
}
