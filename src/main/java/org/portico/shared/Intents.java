package org.portico.shared;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.portico.balancer.AddedMember;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerConfigs;
import org.portico.balancer.BalancerEdit;
import org.portico.balancer.LbMethod;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;
import org.portico.proxy.Gateway;

/**
 * The one translation between the shared JSON and the running balancers: intents made from a manager change, and
 * intents applied to a generation of the proxy as {@link BalancerEdit}s, the path every manager edit takes. Stateless.
 */
public final class Intents {

    /** The status flags the manager edits, by letter (E is the balancer's own, as in httpd). */
    public static final String EDITABLE_FLAGS = "INDHRSC";
    static final Gson GSON = new Gson();

    private Intents() {
    }

    /**
     * The intent for {@code member} once its configuration is {@code config} and each flag in {@code flags} is set
     * or cleared; the flags not named keep their current value.
     */
    public static MemberIntent member(Worker member, WorkerConfig config, Map<StatusFlag, Boolean> flags, String writer,
                                      long nowMillis) {
        StringBuilder status = new StringBuilder();
        for (char letter : EDITABLE_FLAGS.toCharArray()) {
            StatusFlag f = StatusFlag.ofLetter(letter);
            if (flags.getOrDefault(f, member != null && member.has(f))) {
                status.append(letter);
            }
        }
        WorkerParams p = config.params();
        HealthCheck hc = p.healthCheck();
        return new MemberIntent(config.name(), AddedMember.isAdded(config), p.lbfactor(), p.lbset(), p.route(),
                p.redirect(), status.toString(), hc.method(), hc.uri(), hc.interval().toMillis(), hc.passes(), hc.fails(),
                hc.expr(), writer, nowMillis);
    }

    /** The intent for a balancer whose settings become {@code c}. */
    public static BalancerIntent balancer(BalancerConfig c, String writer, long nowMillis) {
        return new BalancerIntent(c.lbmethod(), c.stickyCookie(), c.stickyPath(), c.noFailover(), c.maxAttempts(),
                c.timeout() == null ? 0 : c.timeout().toMillis(), writer, nowMillis);
    }

    public static String json(Object intent) {
        return GSON.toJson(intent);
    }

    static <T> T parse(String json, Class<T> type) {
        try {
            T t = GSON.fromJson(json, type);
            if (t == null) {
                throw new IllegalArgumentException("empty value");
            }
            return t;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies a member's intent to {@code b} of {@code gateway}: adds the member first when the manager had added
     * it and this generation lacks it. The caller holds the {@code LiveGateway}'s monitor.
     *
     * @throws IllegalArgumentException when the intent cannot apply here (a member this descriptor lacks, a bad value)
     */
    static void apply(Gateway gateway, Balancer b, MemberIntent i) {
        Worker w = b.member(i.url());
        if (w == null) {
            if (!i.added()) {
                throw new IllegalArgumentException(b.config().url() + " has no member " + i.url() + " in this descriptor");
            }
            gateway.apply(b, BalancerEdit.NONE.withNewMember(AddedMember.config(i.url())));
            w = b.member(i.url());
        }
        if (i.lbfactor() < 100 || i.lbfactor() > 10_000 || i.lbset() < 0 || i.lbset() > 99) {
            throw new IllegalArgumentException(i.url() + ": loadfactor or lbset out of range");
        }
        HealthCheck hc = new HealthCheck(i.hcmethod(), i.hcuri(), Duration.ofMillis(i.hcintervalMs()), i.hcpasses(),
                i.hcfails(), i.hcexpr());
        WorkerConfig next = w.config().withParams(WorkerParams.copy(w.config().params()).setLbfactor(i.lbfactor())
                .setLbset(i.lbset()).setRoute(i.route()).setRedirect(i.redirect()).setHealthCheck(hc).build());
        Map<StatusFlag, Boolean> flags = new EnumMap<>(StatusFlag.class);
        for (char letter : EDITABLE_FLAGS.toCharArray()) {
            flags.put(StatusFlag.ofLetter(letter), i.status().indexOf(letter) >= 0);
        }
        gateway.apply(b, BalancerEdit.NONE.withMember(w, next, flags));
    }

    /** Applies a balancer's settings to {@code b} of {@code gateway}; the caller holds the monitor. */
    static void apply(Gateway gateway, Balancer b, BalancerIntent i) {
        BalancerConfig settings = BalancerConfigs.withSettings(b.config(), i.lbmethod(), i.stickyCookie(), i.stickyPath(),
                i.noFailover(), i.maxAttempts(), Duration.ofMillis(i.timeoutMs()));
        LbMethod method = null;
        if (!i.lbmethod().equals(b.method().name())) {
            method = gateway.lbMethods().create(i.lbmethod());
            if (method == null) {
                throw new IllegalArgumentException("lbmethod " + i.lbmethod() + " is not available here");
            }
        }
        gateway.apply(b, BalancerEdit.NONE.withSettings(settings, method));
    }
}
