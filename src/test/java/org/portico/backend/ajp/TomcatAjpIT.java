package org.portico.backend.ajp;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** AJP members from the WAR in embedded Tomcat 11. */
class TomcatAjpIT extends AjpWarChecks {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        return builtWarBehindAjp();
    }
}
