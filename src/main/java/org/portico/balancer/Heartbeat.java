package org.portico.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * httpd's heartbeat lbmethod (mod_lbmethod_heartbeat, spec §4.6): a random member weighted by the
 * idle threads its last heartbeat reported. It ignores loadfactor, lbset, hot standby and hot spare
 * (and, like httpd, drain: only usability counts). A member takes part when it is usable (after the
 * retry check), its host is an IP listed in the {@link HeartbeatStorage} file, and it was seen less
 * than {@value #MAX_LASTSEEN_SECONDS} seconds before the file was written.
 *
 * <p>The storage path comes from the system property {@value HeartbeatStorage#PROPERTY} (default
 * {@value HeartbeatStorage#DEFAULT_PATH}) until the descriptor gets a setting for it. Like httpd, it
 * consults the file on every selection, under the balancer's lock; {@link HeartbeatStorage} keeps that
 * to one {@code stat} of a local file unless the file changed.
 *
 * <p>Not thread-safe on its own: like every {@link LbMethod}, called only under the balancer's lock.
 */
public final class Heartbeat implements LbMethod {

    /** httpd's LBM_HEARTBEAT_MAX_LASTSEEN. */
    public static final int MAX_LASTSEEN_SECONDS = 10;

    private final HeartbeatStorage storage;
    private final RandomGenerator random;

    /** The provider ServiceLoader creates: storage from the system property, thread-local randomness. */
    public Heartbeat() {
        this(HeartbeatStorage.fromSystemProperty(), null);
    }

    /** @param random the source of the pick; null for {@link ThreadLocalRandom} */
    public Heartbeat(HeartbeatStorage storage, RandomGenerator random) {
        this.storage = storage;
        this.random = random;
    }

    @Override
    public String name() {
        return "heartbeat";
    }

    HeartbeatStorage storage() {
        return storage;
    }

    @Override
    public Worker find(List<Worker> members, long nowMillis) {
        Map<String, HeartbeatStorage.Server> servers = storage.read();
        if (servers == null) {
            return null;
        }
        List<Worker> up = new ArrayList<>();
        List<HeartbeatStorage.Server> beats = new ArrayList<>();
        long openSlots = 0;
        for (Worker w : members) {
            if (!w.usable() && !w.retryIfDue(nowMillis)) {
                continue;
            }
            HeartbeatStorage.Server s = servers.get(ip(w));
            if (s != null && s.lastSeen() < MAX_LASTSEEN_SECONDS) {
                openSlots += s.ready();
                up.add(w);
                beats.add(s);
            }
        }
        if (openSlots <= 0) {
            return null;
        }
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        long pick = r.nextLong(openSlots + 1); // httpd's ap_random_pick(0, openslots): both ends included
        Worker chosen = null;
        long c = 0;
        for (int i = 0; i < up.size(); i++) {
            int ready = beats.get(i).ready();
            // intervals share their ends; as in httpd the last one containing the pick wins
            if (pick >= c && pick <= c + ready) {
                chosen = up.get(i);
            }
            c += ready;
        }
        return chosen;
    }

    /** The member's host as the heartbeat file writes it (an IPv6 literal without brackets). */
    static String ip(Worker w) {
        String host = w.config().host();
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }
}
