package org.portico.shared;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.portico.testkit.TomcatContext;

/** Tomcat: the params as {@code <Parameter>}s in META-INF/context.xml, with a MemoryRealm for the manager. */
class TomcatSharedStateIT extends ContainerSharedState {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        String[] p = new String[2];
        WebArchive war = warWithEngine(new Etcd(), "target/portico-shared-etcd.jar", p);
        return TomcatContext.withRealm(war, "portico.descriptor", p[0], "portico.shared-state", p[1]);
    }
}
