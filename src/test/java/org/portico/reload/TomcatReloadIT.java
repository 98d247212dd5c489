package org.portico.reload;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Tomcat: the reload's context params as {@code <Parameter>}s in META-INF/context.xml (as
 * conf/Catalina/localhost/APP.xml), with a MemoryRealm for the balancer-manager (the adapter has no realm setting).
 */
class TomcatReloadIT extends ContainerReload {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        WebArchive war = builtWar();
        String users = new java.io.File("src/test/resources/tomcat-users.xml").getAbsolutePath();
        StringBuilder xml = new StringBuilder("<Context><Realm className=\"org.apache.catalina.realm.MemoryRealm\" pathname=\"")
                .append(users).append("\"/>");
        String[] p = params();
        for (int i = 0; i < p.length; i += 2) {
            xml.append("<Parameter name=\"").append(p[i]).append("\" value=\"").append(p[i + 1]).append("\"/>");
        }
        return war.addAsManifestResource(new StringAsset(xml.append("</Context>").toString()), "context.xml");
    }
}
