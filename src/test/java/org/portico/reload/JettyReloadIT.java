package org.portico.reload;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Jetty: the reload's context params by {@code setInitParameter} in the context XML (here WEB-INF/jetty-ee10-web.xml). */
class JettyReloadIT extends ContainerReload {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        WebArchive war = builtWar();
        StringBuilder calls = new StringBuilder();
        String[] p = params();
        for (int i = 0; i < p.length; i += 2) {
            calls.append("  <Call name=\"setInitParameter\"><Arg>").append(p[i]).append("</Arg><Arg>").append(p[i + 1])
                    .append("</Arg></Call>\n");
        }
        return war.addAsWebInfResource(new StringAsset("""
                <?xml version="1.0"?>
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                %s</Configure>
                """.formatted(calls)), "jetty-ee10-web.xml");
    }
}
