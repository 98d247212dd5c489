package org.portico.web;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Tomcat: a {@code <Parameter>} in the context configuration (here META-INF/context.xml, as conf/Catalina/localhost/APP.xml). */
class TomcatContextParamIT extends ContainerContextParam {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        String[] descriptor = new String[1];
        WebArchive war = builtWarAndDescriptor(descriptor);
        return war.addAsManifestResource(new StringAsset("<Context><Parameter name=\"portico.descriptor\" value=\""
                + descriptor[0] + "\"/></Context>"), "context.xml");
    }
}
