package org.portico.metrics;

/** One balancer's live figures over JMX, under {@code org.portico:type=Balancer,context=<path>,balancer=<name>}. */
public interface BalancerMXBean {

    String getName();

    String getLbMethod();

    int getMembers();

    int getUsableMembers();

    int getBusy();

    /** Exchanges that ended on its members. */
    long getRequests();

    long getErrors();
}
