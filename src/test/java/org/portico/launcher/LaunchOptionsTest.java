package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The launcher's command line, where it sets limits. */
class LaunchOptionsTest {

    @Test
    void sharedStateAndEngineJarsAreOptional() throws Exception {
        LaunchOptions none = LaunchOptions.parse(new String[0]);
        assertEquals(null, none.sharedState());
        assertTrue(none.libs().isEmpty());
        java.nio.file.Path jar = java.nio.file.Files.createTempFile("engine", ".jar");
        try {
            LaunchOptions o = LaunchOptions.parse(new String[] {"--shared-state", "etcd://127.0.0.1:2379/p", "--lib",
                    jar.toString()});
            assertEquals("etcd://127.0.0.1:2379/p", o.sharedState());
            assertEquals(java.util.List.of(jar), o.libs());
        } finally {
            java.nio.file.Files.delete(jar);
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--lib", "/no/such/engine.jar"}));
        assertEquals("--lib /no/such/engine.jar: no such file", missing.getMessage());
    }

    @Test
    void theHeaderTimeoutIsMod_reqtimeoutsTwentySecondsUnlessGiven() {
        assertEquals(Duration.ofSeconds(20), LaunchOptions.parse(new String[0]).headerTimeout());
        assertEquals(Duration.ofMillis(1500), LaunchOptions.parse(new String[] {"--header-timeout", "1500ms"}).headerTimeout());
        assertEquals(Duration.ZERO, LaunchOptions.parse(new String[] {"--header-timeout", "0"}).headerTimeout());
    }

    @Test
    void aHeaderTimeoutWithoutUnitIsRefusedWithTheAcceptedForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--header-timeout", "20"}));
        assertTrue(e.getMessage().startsWith("--header-timeout: '20' has no known unit"), e.getMessage());
    }

    @Test
    void reloadTakesOffManualOrWatchAndWatchNeedsADescriptorFile() {
        assertEquals(null, LaunchOptions.parse(new String[0]).reload(), "unset: the web app's default (manual) applies");
        assertEquals("watch", LaunchOptions.parse(new String[] {"--config", "p.xml", "--reload", "WATCH"}).reload());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--config", "p.xml", "--reload", "sometimes"}));
        assertEquals("--reload takes off, manual or watch, not 'sometimes'", bad.getMessage());
        IllegalArgumentException demo = assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--demo", "--reload", "watch"}));
        assertTrue(demo.getMessage().startsWith("--reload watch watches the descriptor of --config"), demo.getMessage());
    }

    @Test
    void theKeystorePasswordCanComeFromTheEnvironmentSoItIsNotOnTheCommandLine() {
        LaunchOptions o = LaunchOptions.parse(new String[] {"--https-port", "8443", "--keystore", "server.p12"},
                name -> name.equals("PORTICO_KEYSTORE_PASSWORD") ? "from-env" : null);
        assertEquals(8443, o.tls().port());
        assertEquals("from-env", o.tls().password());
        assertEquals("PORTICO_KEYSTORE_PASSWORD", o.tls().passwordFrom());
        assertEquals(8080, o.port(), "the plain port stays");
    }

    @Test
    void noHttpLeavesOnlyTheTlsListener() {
        LaunchOptions o = LaunchOptions.parse(new String[] {"--no-http", "--https-port", "0", "--tls-cert", "c.pem",
                "--tls-key", "k.pem"}, name -> null);
        assertEquals(-1, o.port());
        assertTrue(o.tls().pem());
    }

    @Test
    void incompleteOrContradictoryTlsOptionsAreRefusedSayingWhatIsMissing() {
        assertRefused("--no-http leaves no listener: add --https-port", "--no-http");
        assertRefused("--keystore is for the TLS listener, which needs --https-port", "--keystore", "s.p12");
        assertRefused("--https-port needs --keystore FILE, or --tls-cert FILE with --tls-key FILE (--tls-key is missing)",
                "--https-port", "443", "--tls-cert", "c.pem");
        assertRefused("--keystore needs its password", "--https-port", "443", "--keystore", "s.p12");
        assertRefused("--keystore and --tls-cert/--tls-key are two ways to give the key: choose one",
                "--https-port", "443", "--keystore", "s.p12", "--tls-key", "k.pem");
        assertRefused("--https-port must be 0..65535", "--https-port", "70000");
    }

    private static void assertRefused(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(args, name -> null));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
