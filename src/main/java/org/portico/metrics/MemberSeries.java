package org.portico.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.config.StatusFlag;
import org.portico.health.MemberHealth;
import org.portico.proxy.Gateway;

/**
 * The series read at scrape time from the live balancers, their members and the health checks, with the
 * counts of {@link ExchangeRecorder}: nothing here runs on the request path. Each callback walks the
 * gateway attached when the scrape runs. Thread-safe (reads only).
 */
final class MemberSeries {

    private final Supplier<Gateway> gateway;
    private final ExchangeRecorder recorder;

    private MemberSeries(Supplier<Gateway> gateway, ExchangeRecorder recorder) {
        this.gateway = gateway;
        this.recorder = recorder;
    }

    /** Registers every series in {@code registry}. */
    static void register(PrometheusRegistry registry, Supplier<Gateway> gateway, ExchangeRecorder recorder) {
        new MemberSeries(gateway, recorder).registerIn(registry);
    }

    private void registerIn(PrometheusRegistry registry) {
        CounterWithCallback.builder().name("portico_member_requests")
                .help("Exchanges with the member that ended (each attempt of a request)")
                .labelNames("balancer", "member")
                .callback(cb -> eachMember((b, w) -> cb.call(traffic(MemberKey.of(b, w)).requests(), b.name(), w.name())))
                .register(registry);
        CounterWithCallback.builder().name("portico_member_errors")
                .help("Exchanges with the member that failed, by kind: the proxy's failure classes, client_abort, status_5xx")
                .labelNames("balancer", "member", "kind")
                .callback(cb -> eachMember((b, w) -> {
                    MemberKey m = MemberKey.of(b, w);
                    MemberTraffic t = traffic(m);
                    for (int i = 0; i < ErrorKind.LABELS.size(); i++) {
                        cb.call(t.errors(i), m.balancer(), m.member(), ErrorKind.LABELS.get(i));
                    }
                }))
                .register(registry);
        CounterWithCallback.builder().name("portico_member_elected")
                .help("Times the balancer chose the member (httpd's Elected)")
                .labelNames("balancer", "member")
                .callback(cb -> eachMember((b, w) -> cb.call(w.electedCount(), b.name(), w.name())))
                .register(registry);
        CounterWithCallback.builder().name("portico_member_sent_bytes")
                .help("Bytes sent to the member, request heads and bodies (httpd's Transferred; bytraffic's reset zeroes it)")
                .labelNames("balancer", "member")
                .callback(cb -> eachMember((b, w) -> cb.call(w.bytesTransferred(), b.name(), w.name())))
                .register(registry);
        CounterWithCallback.builder().name("portico_member_received_bytes")
                .help("Bytes received from the member, status lines and bodies (httpd's Read; bytraffic's reset zeroes it)")
                .labelNames("balancer", "member")
                .callback(cb -> eachMember((b, w) -> cb.call(w.bytesRead(), b.name(), w.name())))
                .register(registry);
        GaugeWithCallback.builder().name("portico_member_busy")
                .help("Exchanges in progress on the member (httpd's Busy)")
                .labelNames("balancer", "member")
                .callback(cb -> eachMember((b, w) -> cb.call(w.busy(), b.name(), w.name())))
                .register(registry);
        GaugeWithCallback.builder().name("portico_member_loadfactor")
                .help("The member's loadfactor")
                .labelNames("balancer", "member")
                .callback(cb -> eachMember((b, w) -> cb.call(w.config().params().loadfactor(), b.name(), w.name())))
                .register(registry);
        GaugeWithCallback.builder().name("portico_member_usable")
                .help("1 when the member may be chosen (none of D, S, E, C set), else 0")
                .labelNames("balancer", "member")
                .callback(cb -> eachMember((b, w) -> cb.call(w.usable() ? 1 : 0, b.name(), w.name())))
                .register(registry);
        GaugeWithCallback.builder().name("portico_member_status")
                .help("The member's status flags as the balancer-manager shows them: 1 set, 0 not")
                .labelNames("balancer", "member", "flag")
                .callback(cb -> eachMember((b, w) -> {
                    for (StatusFlag f : StatusFlag.values()) {
                        cb.call(w.has(f) ? 1 : 0, b.name(), w.name(), f.name().toLowerCase(Locale.ROOT));
                    }
                }))
                .register(registry);
        registerHealth(registry);
        GaugeWithCallback.builder().name("portico_balancer_members")
                .help("The balancer's members, and how many of them may be chosen now")
                .labelNames("balancer", "usable")
                .callback(cb -> {
                    for (Balancer b : gateway.get().balancers()) {
                        long usable = b.members().stream().filter(Worker::usable).count();
                        cb.call(usable, b.name(), "true");
                        cb.call(b.members().size() - usable, b.name(), "false");
                    }
                })
                .register(registry);
    }

    /** mod_proxy_hcheck's results; a member is in these series once its first check ended. */
    private void registerHealth(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("portico_member_health_check_up")
                .help("1 when the member's last health check passed, 0 when it failed")
                .labelNames("balancer", "member")
                .callback(cb -> eachChecked((b, w, v) -> cb.call(v.last().passed() ? 1 : 0, b.name(), w.name())))
                .register(registry);
        GaugeWithCallback.builder().name("portico_member_health_check_duration_seconds")
                .help("How long the member's last health check took")
                .labelNames("balancer", "member")
                .callback(cb -> eachChecked((b, w, v) -> cb.call(v.last().durationNanos() / 1e9, b.name(), w.name())))
                .register(registry);
        CounterWithCallback.builder().name("portico_member_health_checks")
                .help("Health checks of the member since start, by result")
                .labelNames("balancer", "member", "result")
                .callback(cb -> eachChecked((b, w, v) -> {
                    cb.call(v.passed(), b.name(), w.name(), "passed");
                    cb.call(v.checks() - v.passed(), b.name(), w.name(), "failed");
                }))
                .register(registry);
    }

    private MemberTraffic traffic(MemberKey m) {
        return recorder.traffic(m);
    }

    private void eachMember(BiConsumer<Balancer, Worker> action) {
        for (Balancer b : gateway.get().balancers()) {
            for (Worker w : b.members()) {
                action.accept(b, w);
            }
        }
    }

    private void eachChecked(CheckedMember action) {
        Gateway g = gateway.get();
        eachMember((b, w) -> {
            MemberHealth.View v = g.health().view(w);
            if (v != null && v.last() != null) {
                action.accept(b, w, v);
            }
        });
    }

    private interface CheckedMember {
        void accept(Balancer b, Worker w, MemberHealth.View view);
    }
}
