package org.portico.reload;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.portico.testkit.TomcatContext;

/**
 * Tomcat: the reload's context params as {@code <Parameter>}s in META-INF/context.xml (as
 * conf/Catalina/localhost/APP.xml), with a MemoryRealm for the balancer-manager (the adapter has no realm setting).
 */
class TomcatReloadIT extends ContainerReload {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        return TomcatContext.withRealm(builtWar(), params());
    }
}
