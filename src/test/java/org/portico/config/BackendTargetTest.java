package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackendTargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # url                            | balancer  | origin                | path
            balancer://MyCluster/app/        | mycluster | -                     | /app/
            balancer://mycluster$1           | mycluster | -                     | $1
            balancer://c                     | c         | -                     | ''
            http://127.0.0.1:8080/images/$1  | -         | http://127.0.0.1:8080 | /images/$1
            http://b:8080$1                  | -         | http://b:8080         | $1
            https://B:8443                   | -         | https://B:8443        | ''
            """)
    void theNameOrAuthorityEndsWhereThePathOrARegexGroupBegins(String url, String balancer, String origin, String path) {
        BackendTarget t = BackendTarget.parse(url);
        assertEquals(balancer, t.balancer());
        assertEquals(origin, t.origin());
        assertEquals(path, t.path());
        assertEquals(balancer != null, t.isBalancer());
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
    void balancerTargetGluesTheRemainderAsHttpdDoes() {
        assertEquals("//x", BackendTarget.parse("balancer://c/").append("/x").path());
        assertEquals("/x", BackendTarget.parse("balancer://c").append("/x").path());
    }

    @Test
    void remainderWithoutSlashAfterANamelessPathRunsIntoTheName() {
        assertTrue(BackendTarget.parse("balancer://foo").append("name/r").gluedToName());
        assertTrue(BackendTarget.parse("http://b:8080").append("k").gluedToName());
        assertFalse(BackendTarget.parse("balancer://foo/").append("name/r").gluedToName());
        assertFalse(BackendTarget.parse("balancer://foo").append("").gluedToName());
    }

    @Test
    void workerTargetKeepsTheDoubleSlash() {
        assertEquals("/two//x", BackendTarget.parse("http://b/two/").append("/x").path());
    }

    @Test
    void pathOnAMemberGluesTheTwoAsHttpdDoes() {
        BackendTarget t = BackendTarget.parse("balancer://c/x");
        assertEquals("/base//x", t.pathOn("/base/"));
        assertEquals("//x", t.pathOn("/"));
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
