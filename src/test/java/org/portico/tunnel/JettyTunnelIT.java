package org.portico.tunnel;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Upgrade tunnels through the built WAR in embedded Jetty 12 (ee10): Jetty's own connection upgrade. */
class JettyTunnelIT extends TunnelChecks {

    @Deployment(testable = false)
    static WebArchive portico() throws Exception {
        return builtWarBehindTopology("jetty-tunnels.war");
    }
}
