package org.portico.tunnel;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.portico.testkit.TomcatContext;

/** Upgrade tunnels through the built WAR in embedded Tomcat 11: the Servlet API's HttpServletRequest.upgrade. */
class TomcatTunnelIT extends TunnelChecks {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        return TomcatContext.withRealm(builtWarBehindTopology("tomcat-tunnels.war"));
    }
}
