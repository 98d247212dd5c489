package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendTargetTest {

    @Test
    void balancerNameEndsAtThePath() {
        BackendTarget t = BackendTarget.parse("balancer://MyCluster/app/");
        assertTrue(t.isBalancer());
        assertEquals("mycluster", t.balancer());
        assertNull(t.origin());
        assertEquals("/app/", t.path());
    }

    @Test
    void balancerNameEndsWhereARegexGroupBegins() {
        BackendTarget t = BackendTarget.parse("balancer://mycluster$1");
        assertEquals("mycluster", t.balancer());
        assertEquals("$1", t.path());
    }

    @Test
    void balancerWithoutPathHasAnEmptyPath() {
        assertEquals("", BackendTarget.parse("balancer://c").path());
    }

    @Test
    void workerOriginEndsAtThePathOrAGroup() {
        BackendTarget t = BackendTarget.parse("http://127.0.0.1:8080/images/$1");
        assertFalse(t.isBalancer());
        assertEquals("http://127.0.0.1:8080", t.origin());
        assertEquals("/images/$1", t.path());
        BackendTarget g = BackendTarget.parse("http://b:8080$1");
        assertEquals("http://b:8080", g.origin());
        assertEquals("$1", g.path());
    }

    @Test
    void urlGivesTheTargetBack() {
        assertEquals("http://b:8080/x", BackendTarget.parse("http://b:8080/x").url());
        assertEquals("balancer://c/x", BackendTarget.parse("balancer://C/x").url());
    }

    @ParameterizedTest
    @ValueSource(strings = {"balancer://", "balancer:///x", "balancer://$1"})
    void balancerWithoutNameIsRefused(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendTarget.parse(url));
        assertTrue(e.getMessage().contains("has no balancer name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8080/", "/x", "b"})
    void urlWithoutSchemeIsRefused(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendTarget.parse(url));
        assertTrue(e.getMessage().contains("has no scheme"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://$1/x", "http://b:$1", "http://b$1.example", "http://b$1x"})
    void groupThatCouldChangeHostOrPortIsRefused(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendTarget.parse(url));
        assertTrue(e.getMessage().contains("fixed scheme, host and port"), e.getMessage());
    }

    @Test
    void balancerTargetEndingInSlashSwallowsOneSlashOfTheRemainder() {
        assertEquals("/x", BackendTarget.parse("balancer://c/").append("/x").path());
        assertEquals("/x", BackendTarget.parse("balancer://c").append("/x").path());
    }

    @Test
    void workerTargetKeepsTheDoubleSlash() {
        assertEquals("/two//x", BackendTarget.parse("http://b/two/").append("/x").path());
    }

    @Test
    void pathOnAMemberJoinsWithoutDoublingTheSlash() {
        BackendTarget t = BackendTarget.parse("balancer://c/x");
        assertEquals("/base/x", t.pathOn("/base/"));
        assertEquals("/base/x", t.pathOn("/base"));
        assertEquals("/x", t.pathOn(""));
    }

    @Test
    void emptyPathIsSentAsSlash() {
        assertEquals("/", BackendTarget.parse("http://b:8080").pathOn(""));
        assertEquals("/", BackendTarget.parse("balancer://c").pathOn(""));
        assertEquals("/base", BackendTarget.parse("balancer://c").pathOn("/base"));
    }
}
