package org.portico.manager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.portico.balancer.AddedMember;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerConfigs;
import org.portico.balancer.LbMethod;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.StatusFlag;
import org.portico.config.TrustStoreConfig;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;
import org.portico.proxy.Gateway;

/**
 * What BalancerPersist keeps of the running balancers, as properties: per balancer the fingerprint of
 * its definition in the descriptor, its nonce and the settings the manager edits, and per member its
 * URL, whether it was added at run time, its editable parameters and its status flags (not E).
 *
 * <p>Precedence on restore: a balancer's saved state is used only while the descriptor still defines
 * that balancer exactly as when the state was saved (same fingerprint: every attribute and member,
 * source positions aside). Then saved values win for every member of the descriptor and the members
 * added at run time are added again. If the definition changed, the descriptor wins for that balancer
 * and its saved state is dropped, with a log line; other balancers keep theirs.
 */
final class SavedState {

    static final String FORMAT = "1";
    private static final String EDITABLE = EditValidator.EDITABLE_FLAGS;

    private SavedState() {
    }

    static Properties capture(Gateway gateway) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        for (Balancer b : gateway.balancers()) {
            BalancerConfig c = b.config();
            String k = "balancer." + b.name() + ".";
            p.setProperty(k + "fingerprint", fingerprint(gateway.descriptor().balancer(b.name()).orElseThrow()));
            p.setProperty(k + "nonce", b.nonce());
            p.setProperty(k + "lbmethod", b.method().name());
            p.setProperty(k + "stickysession", c.stickyCookie().isEmpty() ? "" : c.stickyCookie() + "|" + c.stickyPath());
            p.setProperty(k + "nofailover", Boolean.toString(c.noFailover()));
            p.setProperty(k + "maxattempts", c.maxAttempts() == null ? "" : c.maxAttempts().toString());
            p.setProperty(k + "timeout-ms", Long.toString(c.timeout() == null ? 0 : c.timeout().toMillis()));
            List<Worker> members = b.members();
            p.setProperty(k + "members", Integer.toString(members.size()));
            for (int i = 0; i < members.size(); i++) {
                Worker w = members.get(i);
                WorkerParams wp = w.config().params();
                HealthCheck hc = wp.healthCheck();
                String m = k + "member." + String.format("%03d", i) + ".";
                p.setProperty(m + "url", w.name());
                p.setProperty(m + "added", Boolean.toString(AddedMember.isAdded(w.config())));
                p.setProperty(m + "lbfactor", Integer.toString(wp.lbfactor()));
                p.setProperty(m + "lbset", Integer.toString(wp.lbset()));
                p.setProperty(m + "route", wp.route());
                p.setProperty(m + "redirect", wp.redirect());
                StringBuilder flags = new StringBuilder();
                for (char letter : EDITABLE.toCharArray()) {
                    if (w.has(StatusFlag.ofLetter(letter))) {
                        flags.append(letter);
                    }
                }
                p.setProperty(m + "status", flags.toString());
                p.setProperty(m + "hcmethod", hc.method());
                p.setProperty(m + "hcuri", hc.uri());
                p.setProperty(m + "hcinterval-ms", Long.toString(hc.interval().toMillis()));
                p.setProperty(m + "hcpasses", Integer.toString(hc.passes()));
                p.setProperty(m + "hcfails", Integer.toString(hc.fails()));
                p.setProperty(m + "hcexpr", hc.expr());
            }
        }
        return p;
    }

    /** One line for the log: what happened to one balancer's saved state; {@code dropped} when it was not used. */
    record Note(boolean dropped, String text) {
    }

    /**
     * Applies {@code saved} to the freshly built gateway under the precedence rule above.
     *
     * @return one note per balancer saying what happened, for the log
     */
    static List<Note> restore(Properties saved, Gateway gateway) {
        List<Note> log = new ArrayList<>();
        if (!FORMAT.equals(saved.getProperty("format"))) {
            log.add(new Note(true, "saved balancer state has format '" + saved.getProperty("format") + "', not "
                    + FORMAT + ": ignored, the descriptor's values apply"));
            return log;
        }
        TreeSet<String> savedNames = new TreeSet<>();
        for (String key : saved.stringPropertyNames()) {
            if (key.startsWith("balancer.") && key.endsWith(".fingerprint")) {
                savedNames.add(key.substring("balancer.".length(), key.length() - ".fingerprint".length()));
            }
        }
        for (String name : savedNames) {
            Balancer b = gateway.balancer(name);
            if (b == null) {
                log.add(new Note(true, "balancer://" + name + " is no longer in the descriptor: its saved state is dropped"));
                continue;
            }
            String k = "balancer." + name + ".";
            String now = fingerprint(gateway.descriptor().balancer(name).orElseThrow());
            if (!now.equals(saved.getProperty(k + "fingerprint"))) {
                log.add(new Note(true, b.config().url() + " changed in the descriptor since its state was saved: the "
                        + "descriptor wins and the saved changes to this balancer are dropped"));
                continue;
            }
            try {
                log.add(new Note(false, restoreBalancer(saved, k, gateway, b)));
            } catch (RuntimeException e) {
                log.add(new Note(true, b.config().url() + ": saved state unreadable (" + e.getMessage() + "): the "
                        + "descriptor's values apply"));
            }
        }
        return log;
    }

    private static String restoreBalancer(Properties s, String k, Gateway gateway, Balancer b) {
        int count = Integer.parseInt(req(s, k + "members"));
        // read everything first, so that an unreadable entry changes nothing
        List<String> urls = new ArrayList<>();
        List<Boolean> added = new ArrayList<>();
        List<WorkerParams> params = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String m = k + "member." + String.format("%03d", i) + ".";
            urls.add(req(s, m + "url"));
            added.add(Boolean.parseBoolean(req(s, m + "added")));
            statuses.add(req(s, m + "status"));
            HealthCheck hc = new HealthCheck(req(s, m + "hcmethod"), req(s, m + "hcuri"),
                    Duration.ofMillis(Long.parseLong(req(s, m + "hcinterval-ms"))),
                    Integer.parseInt(req(s, m + "hcpasses")), Integer.parseInt(req(s, m + "hcfails")), req(s, m + "hcexpr"));
            int lbfactor = Integer.parseInt(req(s, m + "lbfactor"));
            int lbset = Integer.parseInt(req(s, m + "lbset"));
            if (lbfactor < 100 || lbfactor > 10_000 || lbset < 0 || lbset > 99) {
                throw new IllegalArgumentException(urls.get(i) + ": loadfactor or lbset out of range");
            }
            params.add(WorkerParams.custom().setLbfactor(lbfactor).setLbset(lbset).setRoute(req(s, m + "route"))
                    .setRedirect(req(s, m + "redirect")).setHealthCheck(hc).build());
        }
        String sticky = req(s, k + "stickysession");
        int bar = sticky.indexOf('|');
        String maxAttempts = req(s, k + "maxattempts");
        BalancerConfig settings = BalancerConfigs.withNonce(BalancerConfigs.withSettings(b.config(),
                req(s, k + "lbmethod"), bar < 0 ? sticky : sticky.substring(0, bar), bar < 0 ? sticky : sticky.substring(bar + 1),
                Boolean.parseBoolean(req(s, k + "nofailover")), maxAttempts.isEmpty() ? null : Integer.valueOf(maxAttempts),
                Duration.ofMillis(Long.parseLong(req(s, k + "timeout-ms")))), req(s, k + "nonce"));
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (added.get(i) && b.member(urls.get(i)) == null) {
                try {
                    gateway.addMember(b.name(), urls.get(i));
                } catch (RuntimeException e) {
                    notes.add("could not add " + urls.get(i) + " again: " + e.getMessage());
                }
            }
        }
        int restored = 0;
        for (int i = 0; i < count; i++) {
            Worker w = b.member(urls.get(i));
            if (w == null) {
                continue;
            }
            WorkerParams cur = w.config().params();
            WorkerParams p = params.get(i);
            WorkerConfig next = w.config().withParams(WorkerParams.copy(cur).setLbfactor(p.lbfactor()).setLbset(p.lbset())
                    .setRoute(p.route()).setRedirect(p.redirect()).setHealthCheck(p.healthCheck()).build());
            Map<StatusFlag, Boolean> flags = new EnumMap<>(StatusFlag.class);
            for (char letter : EDITABLE.toCharArray()) {
                flags.put(StatusFlag.ofLetter(letter), statuses.get(i).indexOf(letter) >= 0);
            }
            b.updateMember(w, next, flags);
            restored++;
        }
        LbMethod method = null;
        if (!settings.lbmethod().equals(b.method().name())) {
            method = gateway.lbMethods().create(settings.lbmethod());
            if (method == null) {
                notes.add("lbmethod " + settings.lbmethod() + " is not available, " + b.method().name() + " kept");
                settings = BalancerConfigs.withSettings(settings, b.method().name(), settings.stickyCookie(),
                        settings.stickyPath(), settings.noFailover(), settings.maxAttempts(), settings.timeout());
            }
        }
        b.reconfigure(settings, method);
        return b.config().url() + ": saved state restored (" + restored + " member(s))"
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
    }

    private static String req(Properties s, String key) {
        String v = s.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }

    /**
     * A digest of a balancer's definition in the descriptor: every value of it and of its members,
     * but not where they were written, so moving lines or adding comments keeps the saved state. The
     * values are named one by one (not a record's toString), so that a release adding a parameter keeps
     * the saved state of a balancer whose definition did not change; the text is the one earlier releases
     * hashed.
     */
    static String fingerprint(BalancerConfig c) {
        StringBuilder sb = new StringBuilder();
        BalancerConfig.Affinity a = c.affinity();
        sb.append(c.name()).append('\n').append(c.lbmethod()).append('\n').append(c.stickyCookie()).append('|')
                .append(c.stickyPath()).append('\n').append((int) c.separator()).append(' ').append(c.scolonPathDelim())
                .append(' ').append(c.noFailover()).append(' ').append(c.maxAttempts()).append(' ')
                .append(new TreeSet<>(c.failOnStatus() == null ? List.of() : c.failOnStatus())).append(' ')
                .append(c.failOnTimeout()).append(' ').append(c.timeout()).append(' ').append(c.forceRecovery())
                .append(' ').append(c.growth()).append(' ').append(c.nonce()).append(' ')
                .append(named("Affinity", "routeCookie", a.routeCookie(), "learned", a.learned(), "maxEntries", a.maxEntries(),
                        "expiry", a.expiry())).append('\n');
        for (WorkerConfig m : c.members()) {
            sb.append(m.name()).append(' ').append(named(m.params())).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String named(WorkerParams p) {
        HealthCheck hc = p.healthCheck();
        TrustStoreConfig ts = p.trustStore();
        String params = named("WorkerParams", "min", p.min(), "max", p.max(), "smax", p.smax(), "ttl", p.ttl(), "acquire", p.acquire(),
                "connectionTimeout", p.connectionTimeout(), "timeout", p.timeout(), "retry", p.retry(), "lbfactor", p.lbfactor(),
                "lbset", p.lbset(), "route", p.route(), "redirect", p.redirect(), "status", p.status(), "keepalive", p.keepalive(),
                "disableReuse", p.disableReuse(), "ping", p.ping(), "flushPackets", p.flushPackets(), "flushWait", p.flushWait(),
                "ioBufferSize", p.ioBufferSize(), "receiveBufferSize", p.receiveBufferSize(),
                "responseFieldSize", p.responseFieldSize(),
                "healthCheck", hc == null ? null : named("HealthCheck", "method", hc.method(), "uri", hc.uri(),
                        "interval", hc.interval(), "passes", hc.passes(), "fails", hc.fails(), "expr", hc.expr()),
                "trustStore", ts == null ? null : "TrustStoreConfig[" + ts.id() + ", " + ts.path() + ", " + ts.type() + "]");
        // the AJP secret counts only where set, so that the digests earlier releases saved stay valid
        return p.secret() == null ? params : params.substring(0, params.length() - 1) + ", secret=" + p.secret() + "]";
    }

    /** Named values in the form Java gives a record, {@code Type[a=1, b=2]}. */
    private static String named(String type, Object... namesAndValues) {
        StringJoiner j = new StringJoiner(", ", type + "[", "]");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            j.add(namesAndValues[i] + "=" + namesAndValues[i + 1]);
        }
        return j.toString();
    }
}
