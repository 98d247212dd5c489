package org.portico.web;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Tomcat: a {@code <Parameter>} in the context configuration (here META-INF/context.xml, as conf/Catalina/localhost/APP.xml). */
class TomcatContextParamIT extends ContainerContextParam {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        String[] descriptor = new String[1];
        WebArchive war = builtWarAndDescriptor(descriptor);
        return war.addAsManifestResource(new StringAsset("<Context><Parameter name=\"portico.descriptor\" value=\""
                + descriptor[0] + "\"/></Context>"), "context.xml");
    }

    /** Tomcat gives a WAR no SLF4J provider; the one the WAR carries sends Portico's lines to JUL, Tomcat's log. */
    @Test
    void porticosLinesReachTomcatsLog() {
        assertStartUpLineReachedJavaUtilLogging();
    }
}
