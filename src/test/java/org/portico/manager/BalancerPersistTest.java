package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.manager.Fixtures.params;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portico.balancer.Balancer;
import org.portico.config.StatusFlag;
import org.portico.proxy.Gateway;

/**
 * BalancerPersist: changes survive a restart while a balancer's definition is unchanged; a changed
 * definition wins over the saved state for that balancer only; the reset and discard remove the state.
 */
class BalancerPersistTest {

    private static final String TWO = """
            <balancer name="one" growth="2">
              <member url="http://127.0.0.1:9"/>
              <member url="http://127.0.0.1:10"/>
            </balancer>
            <balancer name="two"><member url="http://127.0.0.1:11"/></balancer>
            """;

    @TempDir
    Path dir;

    private BalancerPersist persist(boolean reset) {
        return new BalancerPersist(new ManagerSettings(true, dir.resolve("state"), reset, Duration.ofSeconds(5), null));
    }

    private static void edit(Gateway g, String... fields) throws Exception {
        Balancer b = g.balancer(fields[1]);
        new EditValidator(g.lbMethods(), g.descriptor().hcExprs(), true).validate(params(fields), b).apply(g);
    }

    @Test
    void editsAndAddedMembersSurviveARestart() throws Exception {
        String nonce;
        try (Gateway before = Fixtures.gateway(TWO)) {
            edit(before, "b", "one", "b_lbm", "bybusyness", "b_max", "0", "b_ss", "S|s", "b_tmo", "9");
            edit(before, "b", "one", "w", "http://127.0.0.1:9", "w_lf", "7", "w_ls", "2", "w_wr", "r9", "w_status_H", "1");
            edit(before, "b", "one", "b_nwrkr", "http://127.0.0.1:12", "b_wyes", "1");
            edit(before, "b", "one", "w", "http://127.0.0.1:12", "w_status_D", "0", "w_lf", "3");
            nonce = before.balancer("one").nonce();
            persist(false).save(before);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temp file was renamed over the state file");
        }
        try (Gateway after = Fixtures.gateway(TWO)) {
            persist(false).start(after);
            Balancer one = after.balancer("one");
            assertEquals("bybusyness", one.method().name());
            assertEquals(0, one.config().maxAttempts());
            assertEquals("S", one.config().stickyCookie());
            assertEquals("s", one.config().stickyPath());
            assertEquals(Duration.ofSeconds(9), one.config().timeout());
            assertEquals(nonce, one.nonce(), "the nonce is kept, as httpd keeps it with BalancerPersist");
            var m9 = one.member("http://127.0.0.1:9");
            assertEquals(700, m9.config().params().lbfactor());
            assertEquals(2, m9.config().params().lbset());
            assertEquals("r9", m9.config().params().route());
            assertTrue(m9.has(StatusFlag.HOT_STANDBY));
            var m12 = one.member("http://127.0.0.1:12");
            assertNotNull(m12, "the member added at run time is added again");
            assertFalse(m12.has(StatusFlag.DISABLED));
            assertEquals(300, m12.config().params().lbfactor());
            assertEquals(4, one.maxMembers(), "it takes a growth slot again, no more");
        }
    }

    @Test
    void aBalancerChangedInTheDescriptorStartsFromTheDescriptorWhileOthersKeepTheirState() throws Exception {
        try (Gateway before = Fixtures.gateway(TWO)) {
            edit(before, "b", "one", "w", "http://127.0.0.1:9", "w_lf", "7");
            edit(before, "b", "two", "w", "http://127.0.0.1:11", "w_lf", "5");
            persist(false).save(before);
        }
        String changed = TWO.replace("<member url=\"http://127.0.0.1:10\"/>", "<member url=\"http://127.0.0.1:10\" loadfactor=\"4\"/>");
        try (Gateway after = Fixtures.gateway(changed)) {
            persist(false).start(after);
            assertEquals(100, after.balancer("one").member("http://127.0.0.1:9").config().params().lbfactor(),
                    "balancer one changed in the descriptor: the descriptor wins");
            assertEquals(500, after.balancer("two").member("http://127.0.0.1:11").config().params().lbfactor(),
                    "balancer two did not change: its saved state wins");
        }
    }

    @Test
    void movedLinesAndCommentsDoNotCountAsAChange() throws Exception {
        try (Gateway before = Fixtures.gateway(TWO)) {
            edit(before, "b", "two", "w", "http://127.0.0.1:11", "w_status_D", "1");
            persist(false).save(before);
        }
        try (Gateway after = Fixtures.gateway("<!-- a comment -->\n\n" + TWO)) {
            persist(false).start(after);
            assertTrue(after.balancer("two").member("http://127.0.0.1:11").has(StatusFlag.DISABLED));
        }
    }

    @Test
    void theResetSettingDeletesTheStateAtStartUp() throws Exception {
        try (Gateway before = Fixtures.gateway(TWO)) {
            edit(before, "b", "two", "w", "http://127.0.0.1:11", "w_status_D", "1");
            persist(false).save(before);
        }
        try (Gateway after = Fixtures.gateway(TWO)) {
            persist(true).start(after);
            assertFalse(after.balancer("two").member("http://127.0.0.1:11").has(StatusFlag.DISABLED));
            assertFalse(Files.exists(dir.resolve("state")));
        }
    }

    @Test
    void discardDeletesTheStateAndAnUnreadableStateIsIgnored() throws Exception {
        try (Gateway g = Fixtures.gateway(TWO)) {
            BalancerPersist p = persist(false);
            p.save(g);
            assertTrue(p.discard());
            assertFalse(p.discard());
            Files.writeString(dir.resolve("state"), "format=1\nbalancer.one.fingerprint="
                    + SavedState.fingerprint(g.descriptor().balancer("one").orElseThrow()) + "\nbalancer.one.members=x\n");
            p.start(g);
            assertEquals("byrequests", g.balancer("one").method().name());
            assertNull(g.balancer("one").config().maxAttempts());
        }
    }
}
