package org.portico.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading httpd's heartbeat storage file (spec §4.6). */
class HeartbeatStorageTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFormatModHeartmonitorWrites() {
        Map<String, HeartbeatStorage.Server> s = HeartbeatStorage.parse(
                "10.0.0.1 busy=3&ready=40&lastseen=2&port=8080\n10.0.0.2 busy=1&ready=8&lastseen=0&port=80\n");
        assertEquals(new HeartbeatStorage.Server("10.0.0.1", 3, 40, 2, 8080), s.get("10.0.0.1"));
        assertEquals(new HeartbeatStorage.Server("10.0.0.2", 1, 8, 0, 80), s.get("10.0.0.2"));
    }

    @Test
    void readyIsQuarteredWhenNothingIsBusy() {
        Map<String, HeartbeatStorage.Server> s = HeartbeatStorage.parse("10.0.0.1 busy=0&ready=41&lastseen=1&port=80");
        assertEquals(10, s.get("10.0.0.1").ready(), "41 / 4 with integer division");
    }

    @Test
    void missingFieldsTakeHttpdsDefaults() {
        HeartbeatStorage.Server s = HeartbeatStorage.parse("10.0.0.1 busy=1&ready=5").get("10.0.0.1");
        assertEquals(-1, s.lastSeen(), "no lastseen: seen -1, which counts as recent");
        assertEquals(80, s.port());
    }

    @Test
    void keysAreCaseInsensitiveAndAKeyWithoutValueMeansOne() {
        HeartbeatStorage.Server s = HeartbeatStorage.parse("10.0.0.1 BUSY&Ready=9&LastSeen=3").get("10.0.0.1");
        assertEquals(1, s.busy());
        assertEquals(9, s.ready());
        assertEquals(3, s.lastSeen());
    }

    @Test
    void numbersAreReadLikeAtoi() {
        assertEquals(12, HeartbeatStorage.atoi("12abc"));
        assertEquals(0, HeartbeatStorage.atoi("abc"));
        assertEquals(-4, HeartbeatStorage.atoi("  -4"));
        assertEquals(0, HeartbeatStorage.atoi(""));
        assertEquals(Integer.MAX_VALUE, HeartbeatStorage.atoi("99999999999999999999"));
        assertEquals(Integer.MIN_VALUE, HeartbeatStorage.atoi("-99999999999999999999"));
    }

    @Test
    void malformedLinesAreSkippedWithoutError() {
        Map<String, HeartbeatStorage.Server> s = HeartbeatStorage.parse(
                "garbage\n\n# comment line\n 10.0.0.9 busy=1\n10.0.0.1 &&=&busy=x&ready=7&&\r\n10.0.0.2 \n");
        assertEquals(2, s.size(), s.toString());
        assertEquals(new HeartbeatStorage.Server("10.0.0.1", 0, 1, -1, 80), s.get("10.0.0.1"));
        assertEquals(new HeartbeatStorage.Server("10.0.0.2", 0, 0, -1, 80), s.get("10.0.0.2"));
    }

    @Test
    void aLaterLineForTheSameIpUpdatesTheFieldsItNames() {
        HeartbeatStorage.Server s = HeartbeatStorage.parse(
                "10.0.0.1 busy=2&ready=8&lastseen=1&port=81\n10.0.0.1 busy=3&lastseen=4\n").get("10.0.0.1");
        assertEquals(new HeartbeatStorage.Server("10.0.0.1", 3, 8, 4, 81), s);
    }

    @Test
    void aMissingFileReadsAsNull() {
        assertNull(new HeartbeatStorage(dir.resolve("absent.dat")).read());
    }

    @Test
    void anOversizedFileIsRefused() throws IOException {
        Path f = dir.resolve("big.dat");
        Files.write(f, new byte[(int) HeartbeatStorage.MAX_BYTES + 1]);
        assertNull(new HeartbeatStorage(f).read());
    }

    @Test
    void theFileIsParsedAgainOnlyWhenItChanges() throws IOException {
        Path f = dir.resolve("hb.dat");
        Files.writeString(f, "10.0.0.1 busy=1&ready=4\n");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000));
        HeartbeatStorage storage = new HeartbeatStorage(f);
        Map<String, HeartbeatStorage.Server> first = storage.read();
        assertSame(first, storage.read(), "unchanged: the parsed map is reused");
        Files.writeString(f, "10.0.0.1 busy=1&ready=44\n");
        Files.setLastModifiedTime(f, FileTime.fromMillis(2_000_000));
        Map<String, HeartbeatStorage.Server> second = storage.read();
        assertNotSame(first, second);
        assertEquals(44, second.get("10.0.0.1").ready());
    }

    @Test
    void aFileThatDisappearsAndComesBackIsReadAgain() throws IOException {
        Path f = dir.resolve("hb.dat");
        Files.writeString(f, "10.0.0.1 busy=1&ready=4\n");
        HeartbeatStorage storage = new HeartbeatStorage(f);
        assertEquals(4, storage.read().get("10.0.0.1").ready());
        Files.delete(f);
        assertNull(storage.read());
        Files.writeString(f, "10.0.0.1 busy=1&ready=5\n");
        assertEquals(5, storage.read().get("10.0.0.1").ready());
    }

    @Test
    void thePathComesFromTheSystemPropertyWithHttpdsDefault() {
        String old = System.getProperty(HeartbeatStorage.PROPERTY);
        try {
            System.clearProperty(HeartbeatStorage.PROPERTY);
            assertEquals(Path.of("logs/hb.dat"), HeartbeatStorage.fromSystemProperty().file());
            System.setProperty(HeartbeatStorage.PROPERTY, dir.resolve("x.dat").toString());
            assertEquals(dir.resolve("x.dat"), HeartbeatStorage.fromSystemProperty().file());
            assertTrue(new Heartbeat().storage().file().endsWith("x.dat"), "the ServiceLoader constructor uses it");
        } finally {
            if (old == null) {
                System.clearProperty(HeartbeatStorage.PROPERTY);
            } else {
                System.setProperty(HeartbeatStorage.PROPERTY, old);
            }
        }
    }
}
