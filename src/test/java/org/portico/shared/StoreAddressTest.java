package org.portico.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared-state address an operator writes, and the refusals that say what is allowed. */
class StoreAddressTest {

    @Test
    void anEtcdAddressWithSeveralServersAndAPrefix() {
        StoreAddress a = StoreAddress.parse("etcd://10.0.0.1:2379,10.0.0.2:2379/portico/prod/");
        assertEquals("etcd", a.scheme());
        assertEquals(List.of("10.0.0.1:2379", "10.0.0.2:2379"), a.hosts());
        assertEquals("/portico/prod", a.prefix());
        assertEquals(StoreAddress.DEFAULT_TTL, a.ttl());
        assertEquals(0, a.errorQuorum());
        assertEquals("etcd://10.0.0.1:2379,10.0.0.2:2379/portico/prod", a.toString());
    }

    @Test
    void aZooKeeperAddressWithItsParameters() {
        StoreAddress a = StoreAddress.parse("ZK://zk1:2181/portico?ttl=5&instance=web-1&error-quorum=2");
        assertEquals("zk", a.scheme());
        assertEquals(Duration.ofSeconds(5), a.ttl());
        assertEquals("web-1", a.instance());
        assertEquals(2, a.errorQuorum());
    }

    @Test
    void badAddressesAreRefusedSayingWhatIsAllowed() {
        for (String bad : List.of("redis://h:1/p", "etcd://h/p", "etcd://h:1", "etcd://h:1/", "etcd://h:99999/p",
                "etcd://h:1/p?ttl=1", "etcd://h:1/p?colour=red", "etcd://h:1/p?instance=a b", "h:1/p")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StoreAddress.parse(bad), bad);
            assertTrue(e.getMessage().contains("etcd://host:port") || e.getMessage().contains("use "), e.getMessage());
        }
    }

    @Test
    void keysAreVersionedAndAMemberUrlIsOneSegment() {
        SharedKeys k = SharedKeys.of(StoreAddress.parse("etcd://h:1/p"));
        String key = k.member("web", "http://10.0.0.5:8080/app");
        assertEquals("/p/v1/members/web/http%3A%2F%2F10.0.0.5%3A8080%2Fapp", key);
        SharedKeys.Parsed p = k.parse(key);
        assertEquals("members", p.kind());
        assertEquals(List.of("web", "http://10.0.0.5:8080/app"), List.of(p.parts()));
        assertEquals("health", k.parse(k.health("web", "http://h:1", "a")).kind());
        assertEquals(null, k.parse("/p/v1/members/web"), "a ZooKeeper parent node is no key of ours");
        assertEquals(null, k.parse("/p/v2/balancers/web"), "another version's keys are left alone");
    }
}
