package org.portico.shared;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Tomcat: the params as {@code <Parameter>}s in META-INF/context.xml, with a MemoryRealm for the manager. */
class TomcatSharedStateIT extends ContainerSharedState {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        String[] p = new String[2];
        WebArchive war = warWithEngine(new Etcd(), "target/portico-shared-etcd.jar", p);
        String users = new java.io.File("src/test/resources/tomcat-users.xml").getAbsolutePath();
        return war.addAsManifestResource(new StringAsset("<Context><Realm className=\"org.apache.catalina.realm.MemoryRealm\""
                + " pathname=\"" + users + "\"/><Parameter name=\"portico.descriptor\" value=\"" + p[0] + "\"/>"
                + "<Parameter name=\"portico.shared-state\" value=\"" + p[1] + "\"/></Context>"), "context.xml");
    }
}
