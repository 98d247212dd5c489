package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portico.config.Descriptor;

/**
 * Every configuration of the guides Portico is built from (shared/reference/seed-configs.md, loopback
 * addresses substituted) and httpd-tests' balancer and reverse-proxy configurations import into the
 * descriptor they mean: compared element by element, valid against the XSD, loaded by the WAR's own
 * loader, with exactly the report lines expected.
 */
class GuideConfigsImportTest {

    record Row(String fixture, String vhost, String expected, List<String> report) {
        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("seeds/1-sticky-route-cookie.conf", null, """
                        balancer name=mycluster stickysession=BALANCEID
                          member route=node1 url=http://127.0.0.1:8081
                          member route=node2 url=http://127.0.0.1:8082
                        pass-match pattern=^(/.*)$ to=balancer://mycluster$1
                        reverse path=/ url=http://127.0.0.1:8081/
                        reverse path=/ url=http://127.0.0.1:8082/
                        reverse-cookie-domain from=127.0.0.1 to=localhost
                        reverse-cookie-domain from=127.0.0.1 to=localhost""", List.of()),
                new Row("seeds/2-bytraffic-hot-standby.conf", null, """
                        balancer lbmethod=bytraffic name=foo
                          member loadfactor=1 url=http://127.0.0.1:8083/
                          member loadfactor=1 url=http://127.0.0.1:8084/
                          member loadfactor=4 status=+h url=http://127.0.0.1:8085/""", List.of()),
                new Row("seeds/3-failover-tiers.conf", null, """
                        balancer lbmethod=bytraffic name=foo
                          member loadfactor=1 url=http://127.0.0.1:8091/
                          member loadfactor=4 url=http://127.0.0.1:8092/
                          member loadfactor=4 status=+h url=http://127.0.0.1:8093/
                          member lbset=1 url=http://127.0.0.1:8094/
                          member lbset=1 url=http://127.0.0.1:8095/
                        pass path=/apps/ to=balancer://foo/""", List.of()),
                new Row("seeds/4-balancer-aware-reverse.conf", null, """
                        balancer name=foo
                          member url=http://127.0.0.1:8091/
                          member url=http://127.0.0.1:8092/
                        pass path=/apps/ to=balancer://foo/
                        reverse path=/apps url=balancer://foo/
                        reverse path=/apps url=http://127.0.0.1:8091/
                        reverse path=/apps url=http://127.0.0.1:8092/""",
                        // the guide's comments after two directives
                        List.of("9 warning", "10 warning")),
                new Row("seeds/5-several-balancers.conf", null, """
                        balancer lbmethod=bytraffic name=foo timeout=10s
                          member loadfactor=1 url=http://127.0.0.1:8091/
                          member loadfactor=4 url=http://127.0.0.1:8092/
                          member loadfactor=4 status=+h url=http://127.0.0.1:8093/
                        balancer lbmethod=byrequests name=javaapps
                          member loadfactor=1 url=ajp://127.0.0.1:8096/
                          member loadfactor=4 url=ajp://127.0.0.1:8097/
                        pass path=/apps/ to=balancer://foo/
                        pass path=/serv/ to=balancer://javaapps/
                        pass path=/images/ to=http://127.0.0.1:8098/
                        pass-match pattern=^(/*.*\\.gif)$ to=http://127.0.0.1:8099$1
                        pass path=/ to=balancer://foo""",
                        // ProxyPass / balancer://foo lacks the slash
                        List.of("19 warning")),
                new Row("seeds/6-reverse-proxy-guide.conf", null, """
                        balancer lbmethod=byrequests name=myset
                          member url=http://127.0.0.1:8101
                          member loadfactor=3 timeout=1s url=http://127.0.0.1:8102
                          member status=+H url=http://127.0.0.1:8103
                          member lbset=1 url=http://127.0.0.1:8104
                          member lbset=1 url=http://127.0.0.1:8105
                        pass path=/ to=http://127.0.0.1:8100/
                        reverse path=/ url=http://127.0.0.1:8100/
                        pass path=/images to=http://127.0.0.1:8100/
                        reverse path=/images url=http://127.0.0.1:8100/
                        pass path=/images/ to=balancer://myset/
                        reverse path=/images/ url=balancer://myset/""",
                        // /images lacks the slash, /images and /images/ come after /, the manager, its Require
                        List.of("6 warning", "6 warning", "17 warning", "21 note", "22 note")),
                new Row("seeds/7-two-local-backends.conf", null, """
                        balancer name=mycluster
                          member url=http://127.0.0.1:8000
                          member url=http://127.0.0.1:8001
                        pass path=/ to=balancer://mycluster/
                        reverse path=/ url=balancer://mycluster/""",
                        // Listen, the three SSL directives, KeepAlive, MaxConnectionsPerChild
                        List.of("9 not imported", "10 not imported", "11 not imported", "12 not imported", "13 not imported",
                                "14 not imported")),
                new Row("httpd-tests/proxy-balancer.conf", null, """
                        balancer lbmethod=byrequests name=foo1
                          member loadfactor=1 url=http://127.0.0.1:8531
                          member loadfactor=1 url=http://127.0.0.1:8532
                        balancer lbmethod=bytraffic name=foo2
                          member loadfactor=1 url=http://127.0.0.1:8531
                          member loadfactor=1 url=http://127.0.0.1:8532
                        balancer lbmethod=bybusyness name=foo3
                          member loadfactor=1 url=http://127.0.0.1:8531
                          member loadfactor=1 url=http://127.0.0.1:8532
                        balancer lbmethod=heartbeat name=foo4
                          member loadfactor=1 url=http://127.0.0.1:8531
                          member loadfactor=1 url=http://127.0.0.1:8532
                        balancer name=pr45434
                          member url=http://127.0.0.1:8529/modules
                        balancer name=failover
                          member loadfactor=1 retry=1s url=http://127.0.0.1:8533
                          member loadfactor=1 status=H url=http://127.0.0.1:8531
                        balancer growth=10 name=dynproxy
                        pass path=/baltest4 to=balancer://foo4/
                        pass path=/baltest3 to=balancer://foo3/
                        pass path=/baltest2 to=balancer://foo2/
                        pass path=/baltest1 to=balancer://foo1/
                        pass path=/mapping to=http://127.0.0.1:8529/servlet
                        pass path=/pr45434 to=balancer://pr45434/alias
                        reverse path=/pr45434 url=balancer://pr45434/alias
                        pass-match pattern=^/baltest_echo_post to=balancer://failover/echo_post
                        pass path=/dynproxy to=balancer://dynproxy/""",
                        List.of("5 not imported", // the forward-proxy vhost: the only proxying vhost is chosen
                                "11 not imported", // mapping=servlet
                                "13 not imported", "16 not imported", // the two backend vhosts
                                "28 warning", "37 warning", "46 warning", "55 warning", // <Location /baltestN> to .../
                                "65 warning", // retry=1ms is 1 s
                                "68 warning", // ProxyPassMatch without $N appends the whole path
                                "70 warning", // dynproxy has no members
                                "74 note", "75 note", // the balancer-manager and its Allow from all
                                "77 warning", // /dynproxy to balancer://dynproxy/
                                "82 not imported")), // LogLevel
                new Row("httpd-tests/proxy-reverse.conf", "proxy_http_reverse", """
                        settings server-name=proxy_http_reverse
                        pass path=/reverse/locproxy/ to=http://127.0.0.1:8529/
                        pass exclude=true path=/reverse/notproxy/
                        pass path=/reverse/ to=http://127.0.0.1:8529/
                        reverse path=/reverse/ url=http://127.0.0.1:8529/
                        pass-match pattern=^/reverse-match/(.*)$ to=http://127.0.0.1:8529/$1
                        pass-match pattern=^/reverse-slash(/.*)?$ to=http://127.0.0.1:8529$1
                        reverse-cookie-domain from=local to=remote
                        reverse-cookie-path from=/local to=/remote""",
                        List.of("7 not imported", // DocumentRoot
                                "15 not imported", // the Unix domain socket
                                "19 not imported", // SetEnvIf ... no-proxy
                                "22 not imported", "32 not imported", // the other two vhosts
                                "39 not imported"))); // <IfModule mod_alias.c>: httpd skips it without mod_alias
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void importsIntoTheDescriptorItMeans(Row row) throws Exception {
        HttpdImport.Result r = Imported.run(Imported.FIXTURES.resolve(row.fixture()), row.vhost());
        assertEquals(row.expected(), Imported.canonicalText(r.descriptor()), r.descriptor());
        assertEquals(row.report(), Imported.reportLines(r), Imported.reportText(r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void validatesAgainstTheSchemaAndLoadsInTheWar(Row row) throws Exception {
        HttpdImport.Result r = Imported.run(Imported.FIXTURES.resolve(row.fixture()), row.vhost());
        Imported.assertValid(r.descriptor());
        Descriptor d = Imported.load(r.descriptor());
        assertEquals(r.descriptor().lines().filter(l -> l.trim().startsWith("<pass")).count(), d.passes().size());
    }

    /** A hand translation in examples/, and how the import differs from it (each difference explained). */
    record Translation(String fixture, String example, List<String> onlyInExample, List<String> onlyInImport, String why) {
        @Override
        public String toString() {
            return example;
        }
    }

    static Stream<Translation> translations() {
        return Stream.of(
                new Translation("seeds/1-sticky-route-cookie.conf", "sticky-route-cookie.xml", List.of(),
                        List.of("reverse-cookie-domain from=127.0.0.1 to=localhost"),
                        "the guide's two cookie-domain lines name one address once loopback is substituted; the example keeps one"),
                new Translation("seeds/2-bytraffic-hot-standby.conf", "bytraffic-hot-standby.xml",
                        List.of("pass path=/ to=balancer://foo/"), List.of(),
                        "the slide shows only the balancer; the example mounts it at / to make it serve"),
                new Translation("seeds/3-failover-tiers.conf", "failover-tiers.xml", List.of(), List.of(), "the same"),
                new Translation("seeds/4-balancer-aware-reverse.conf", "balancer-aware-reverse.xml", List.of(), List.of(), "the same"),
                new Translation("seeds/5-several-balancers.conf", "several-balancers.xml",
                        List.of("pass path=/ to=balancer://foo/"),
                        List.of("pass path=/ to=balancer://foo"),
                        "the example adds the slash the talk's last ProxyPass lacks (the import keeps httpd's meaning and warns)"),
                new Translation("seeds/6-reverse-proxy-guide.conf", "reverse-proxy-guide.xml", List.of(),
                        List.of("pass path=/images to=http://127.0.0.1:8100/", "reverse path=/images url=http://127.0.0.1:8100/"),
                        "the guide shows alternatives; the example leaves out the second and puts /images/ first, the import"
                                + " keeps all in httpd's order and warns that / shadows the others"),
                new Translation("seeds/7-two-local-backends.conf", "two-local-backends.xml", List.of(), List.of(), "the same"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("translations")
    void matchesTheHandTranslationInExamples(Translation t) throws Exception {
        HttpdImport.Result r = Imported.run(Imported.FIXTURES.resolve(t.fixture()));
        List<String> expected = new ArrayList<>(Imported.canonical(Files.readString(Path.of("examples", t.example()))));
        for (String line : t.onlyInExample()) {
            assertTrue(expected.remove(line), line + " is not in " + t.example() + ": " + expected);
        }
        expected.addAll(t.onlyInImport());
        List<String> actual = new ArrayList<>(Imported.canonical(r.descriptor()));
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual, t.why());
    }
}
