package org.portico.web;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Jetty: {@code setInitParameter} in the context's XML (here WEB-INF/jetty-ee10-web.xml, as a context XML in webapps/). */
class JettyContextParamIT extends ContainerContextParam {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        String[] descriptor = new String[1];
        WebArchive war = builtWarAndDescriptor(descriptor);
        return war.addAsWebInfResource(new StringAsset("""
                <?xml version="1.0"?>
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                  <Call name="setInitParameter"><Arg>portico.descriptor</Arg><Arg>%s</Arg></Call>
                </Configure>
                """.formatted(descriptor[0])), "jetty-ee10-web.xml");
    }
}
