package org.portico.proxy;

import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The proxy checks in embedded Tomcat 11. The Tomcat adapter has no realm setting, so this test's
 * copy of the WAR (never the built one) gets a META-INF/context.xml with a MemoryRealm.
 */
class TomcatProxyIT extends ProxyBehaviourChecks {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        String users = new File("src/test/resources/tomcat-users.xml").getAbsolutePath();
        return builtWarBehindTopology().addAsManifestResource(new StringAsset(
                "<Context><Realm className=\"org.apache.catalina.realm.MemoryRealm\" pathname=\"" + users + "\"/></Context>"),
                "context.xml");
    }

    @Override
    public Container container() {
        return Container.TOMCAT;
    }
}
