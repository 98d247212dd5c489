package org.portico.metrics;

import java.util.function.Supplier;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.proxy.Gateway;

/** {@link BalancerMXBean} read from the balancer in the gateway attached now. Thread-safe (reads only). */
final class BalancerBean implements BalancerMXBean {

    private final String name;
    private final Supplier<Gateway> gateway;
    private final ExchangeRecorder recorder;

    BalancerBean(String name, Supplier<Gateway> gateway, ExchangeRecorder recorder) {
        this.name = name;
        this.gateway = gateway;
        this.recorder = recorder;
    }

    private Balancer balancer() {
        Balancer b = gateway.get().balancer(name);
        if (b == null) {
            throw new IllegalStateException("balancer " + name + " is no longer configured");
        }
        return b;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getLbMethod() {
        return balancer().config().lbmethod();
    }

    @Override
    public int getMembers() {
        return balancer().members().size();
    }

    @Override
    public int getUsableMembers() {
        return (int) balancer().members().stream().filter(Worker::usable).count();
    }

    @Override
    public int getBusy() {
        return balancer().members().stream().mapToInt(Worker::busy).sum();
    }

    @Override
    public long getRequests() {
        Balancer b = balancer();
        return b.members().stream().mapToLong(w -> recorder.traffic(MemberKey.of(b, w)).requests()).sum();
    }

    @Override
    public long getErrors() {
        Balancer b = balancer();
        return b.members().stream().mapToLong(w -> recorder.traffic(MemberKey.of(b, w)).errorsTotal()).sum();
    }
}
