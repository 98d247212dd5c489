package org.portico.metrics;

/**
 * One Portico deployment over JMX, under {@code org.portico:type=Deployment,context=<path>} (with
 * {@code instance=<n>} when another deployment in the JVM has that context path already).
 */
public interface DeploymentMXBean {

    String getContextPath();

    /** Where the descriptor was read from. */
    String getDescriptor();

    int getBalancers();
}
