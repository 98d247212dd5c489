package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.SourceLocation;
import org.portico.config.TrustStoreConfig;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * The digest BalancerPersist keeps of each balancer's definition is taken over named values, so a release that
 * adds a parameter (a new record component with a default) keeps every saved state of an unchanged balancer.
 */
class SavedStateFingerprintTest {

    /** The digest of {@link #balancer()} as every release since persistence came has computed it. */
    private static final String GOLDEN = "8c35cb4e2bba9c372b37056dfecb19554c266d220c548bb0be6c94d3617979b4";

    private static BalancerConfig balancer() {
        WorkerParams plain = WorkerParams.defaults();
        WorkerParams tuned = WorkerParams.custom().setMin(1).setMax(20).setSmax(10).setTtl(Duration.ofSeconds(30))
                .setAcquire(Duration.ofMillis(250)).setConnectionTimeout(Duration.ofSeconds(2)).setTimeout(Duration.ofSeconds(9))
                .setRetry(Duration.ofSeconds(5)).setLbfactor(300).setLbset(1).setRoute("n2").setRedirect("n1")
                .setStatus(4).setKeepalive(true).setDisableReuse(true).setPing(Duration.ofMillis(500)).setFlushPackets("auto")
                .setFlushWait(Duration.ofMillis(20)).setIoBufferSize(16384).setReceiveBufferSize(65536)
                .setResponseFieldSize(4096)
                .setHealthCheck(new HealthCheck("GET", "/health", Duration.ofSeconds(3), 2, 3, "ok"))
                .setTrustStore(new TrustStoreConfig("ts", Path.of("/etc/portico/ts.p12"), "secret", "PKCS12")).build();
        SourceLocation here = SourceLocation.unknown("test");
        return BalancerConfig.custom("cluster").setLbmethod("bytraffic").setStickyCookie("JSESSIONID")
                .setStickyPath("jsessionid").setScolonPathDelim(true).setMaxAttempts(2).setFailOnStatus(Set.of(503, 500))
                .setFailOnTimeout(true).setTimeout(Duration.ofSeconds(5)).setGrowth(3).setNonce("n-1")
                .setAffinity(new BalancerConfig.Affinity(true, true, 1000, Duration.ofMinutes(10)))
                .setMembers(List.of(new WorkerConfig("http://127.0.0.1:8081", URI.create("http://127.0.0.1:8081"), plain, here),
                        new WorkerConfig("http://127.0.0.1:8082/app", URI.create("http://127.0.0.1:8082/app"), tuned, here)))
                .setWhere(here).build();
    }

    @Test
    void theDigestOfAnUnchangedBalancerIsTheOneEarlierReleasesSaved() {
        assertEquals(GOLDEN, SavedState.fingerprint(balancer()));
    }

    @Test
    void whereTheDefinitionIsWrittenDoesNotCount() {
        BalancerConfig moved = BalancerConfig.copy(balancer()).setWhere(new SourceLocation("other.xml", 40, 3)).build();
        assertEquals(SavedState.fingerprint(balancer()), SavedState.fingerprint(moved));
    }

    @Test
    void everyValueOfTheBalancerAndItsMembersCounts() {
        BalancerConfig b = balancer();
        String digest = SavedState.fingerprint(b);
        assertNotEquals(digest, SavedState.fingerprint(BalancerConfig.copy(b).setGrowth(4).build()));
        WorkerConfig second = b.members().get(1);
        WorkerConfig changed = second.withParams(WorkerParams.copy(second.params()).setReceiveBufferSize(0).build());
        assertNotEquals(digest, SavedState.fingerprint(BalancerConfig.copy(b).setMembers(List.of(b.members().get(0), changed)).build()));
        WorkerConfig otherCheck = second.withParams(WorkerParams.copy(second.params())
                .setHealthCheck(new HealthCheck("GET", "/health", Duration.ofSeconds(3), 2, 4, "ok")).build());
        assertNotEquals(digest, SavedState.fingerprint(BalancerConfig.copy(b).setMembers(List.of(b.members().get(0), otherCheck)).build()));
    }
}
