package org.portico.metrics;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.proxy.Gateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deployment's MXBeans on the platform MBeanServer, all under the {@value #DOMAIN} domain and keyed by
 * the web app's context path, so that two deployments in one JVM never share a name: a Deployment bean, one
 * per balancer and one per member. {@link #sync} registers what the attached gateway has and the beans do
 * not (a member the manager added) and drops what it no longer has; {@link #close} unregisters them all,
 * so an undeployed web app leaves nothing behind (nor its class loader held). Thread-safe: synchronized.
 */
final class JmxBeans implements AutoCloseable {

    static final String DOMAIN = "org.portico";
    private static final Logger LOG = LoggerFactory.getLogger(JmxBeans.class);
    /** Characters an ObjectName value may not hold unquoted. */
    private static final String SPECIAL = ",=:\"*?\n\\";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Supplier<Gateway> gateway;
    private final ExchangeRecorder recorder;
    /** {@code context=/portico} or, when that was taken, {@code context=/portico,instance=2}. */
    private final String deploymentKeys;
    private final Set<ObjectName> registered = new HashSet<>();
    private boolean closed;

    private JmxBeans(Supplier<Gateway> gateway, ExchangeRecorder recorder, String deploymentKeys) {
        this.gateway = gateway;
        this.recorder = recorder;
        this.deploymentKeys = deploymentKeys;
    }

    /**
     * Claims the deployment's name (the first free {@code instance} when another deployment in this JVM has
     * the same context path) and registers the beans of the gateway attached now.
     *
     * @param contextPath the web app's context path; "" (the root) is named {@code /}
     */
    static JmxBeans register(String contextPath, Supplier<Gateway> gateway, ExchangeRecorder recorder) throws JMException {
        String context = "context=" + value(contextPath.isEmpty() ? "/" : contextPath);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (int instance = 1; ; instance++) {
            String keys = instance == 1 ? context : context + ",instance=" + instance;
            ObjectName name = new ObjectName(DOMAIN + ":type=Deployment," + keys);
            try {
                server.registerMBean(new DeploymentBean(contextPath, gateway), name);
            } catch (InstanceAlreadyExistsException e) {
                continue;
            }
            if (instance > 1) {
                LOG.info("JMX: another deployment in this JVM has {}; this one's names carry instance={}", context, instance);
            }
            JmxBeans beans = new JmxBeans(gateway, recorder, keys);
            beans.registered.add(name);
            beans.sync();
            return beans;
        }
    }

    /** The deployment's own bean's name, e.g. {@code org.portico:type=Deployment,context=/portico}. */
    ObjectName deploymentName() {
        try {
            return new ObjectName(DOMAIN + ":type=Deployment," + deploymentKeys);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers the beans of balancers and members that have none, and drops those of members that are gone. */
    synchronized void sync() {
        if (closed) {
            return;
        }
        Set<ObjectName> wanted = new HashSet<>();
        wanted.add(deploymentName());
        try {
            for (Balancer b : gateway.get().balancers()) {
                ObjectName bn = name("Balancer", b.name(), null);
                wanted.add(bn);
                add(bn, () -> new BalancerBean(b.name(), gateway, recorder));
                for (Worker w : b.members()) {
                    ObjectName mn = name("Member", b.name(), w.name());
                    wanted.add(mn);
                    add(mn, () -> new MemberBean(MemberKey.of(b, w), gateway, recorder));
                }
            }
        } catch (JMException e) {
            LOG.warn("JMX: could not register Portico's beans: {}", e.toString());
        }
        for (ObjectName n : Set.copyOf(registered)) {
            if (!wanted.contains(n)) {
                unregister(n);
            }
        }
    }

    private void add(ObjectName name, Supplier<Object> bean) throws JMException {
        if (!registered.contains(name)) {
            server.registerMBean(bean.get(), name);
            registered.add(name);
        }
    }

    private ObjectName name(String type, String balancer, String member) throws MalformedObjectNameException {
        return new ObjectName(DOMAIN + ":type=" + type + "," + deploymentKeys + ",balancer=" + value(balancer)
                + (member == null ? "" : ",member=" + value(member)));
    }

    /** A key's value as written in an ObjectName: quoted when it holds a character that must be. */
    static String value(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (SPECIAL.indexOf(v.charAt(i)) >= 0) {
                return ObjectName.quote(v);
            }
        }
        return v.isEmpty() ? ObjectName.quote(v) : v;
    }

    private void unregister(ObjectName n) {
        try {
            server.unregisterMBean(n);
        } catch (InstanceNotFoundException e) {
            // somebody else removed it: gone either way
        } catch (JMException e) {
            LOG.warn("JMX: could not unregister {}: {}", n, e.toString());
        }
        registered.remove(n);
    }

    /** Unregisters every bean of this deployment. */
    @Override
    public synchronized void close() {
        closed = true;
        for (ObjectName n : Set.copyOf(registered)) {
            unregister(n);
        }
    }

    /** {@link DeploymentMXBean} for the gateway attached now. */
    private record DeploymentBean(String path, Supplier<Gateway> gateway) implements DeploymentMXBean {

        @Override
        public String getContextPath() {
            return path.isEmpty() ? "/" : path;
        }

        @Override
        public String getDescriptor() {
            return gateway.get().descriptor().source();
        }

        @Override
        public int getBalancers() {
            return gateway.get().balancers().size();
        }
    }
}
