package org.portico.shared;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Jetty: the params by {@code setInitParameter} in WEB-INF/jetty-ee10-web.xml (as a context XML in webapps/). */
class JettySharedStateIT extends ContainerSharedState {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        String[] p = new String[2];
        WebArchive war = warWithEngine(new Etcd(), "target/portico-shared-etcd.jar", p);
        return war.addAsWebInfResource(new StringAsset("""
                <?xml version="1.0"?>
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                  <Call name="setInitParameter"><Arg>portico.descriptor</Arg><Arg>%s</Arg></Call>
                  <Call name="setInitParameter"><Arg>portico.shared-state</Arg><Arg>%s</Arg></Call>
                </Configure>
                """.formatted(p[0], p[1])), "jetty-ee10-web.xml");
    }
}
