package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A descriptor's size is bounded, and no error echoes a huge value whole into the log. */
class DescriptorLimitsTest {

    private static final String VALID = """
            <portico xmlns="urn:portico:descriptor:1">
              <pass path="/" to="http://127.0.0.1:8080/"/>
            </portico>
            """;

    @TempDir
    Path dir;

    @Test
    void aDescriptorOverSixteenMebibytesFailsNamingTheFileItsSizeAndTheLimit() throws Exception {
        Path file = dir.resolve("huge.xml");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(VALID.getBytes(StandardCharsets.UTF_8));
            byte[] comment = ("<!--" + " ".repeat(1 << 20) + "-->\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 16; i++) {
                out.write(comment);
            }
        }
        long size = Files.size(file);

        DescriptorException e = assertThrows(DescriptorException.class, () -> DescriptorLoader.load(file));

        assertEquals(file + ": the descriptor is " + size + " bytes, more than the 16777216-byte limit"
                + " (-Dportico.max-descriptor-size=BYTES; default 16777216, 16 MiB)", e.getMessage());
    }

    @Test
    void theLimitIsASystemPropertyAndAlsoBoundsAStream() throws Exception {
        Path file = dir.resolve("small.xml");
        Files.writeString(file, VALID);
        String before = System.getProperty(DescriptorReader.MAX_SIZE_PROPERTY);
        System.setProperty(DescriptorReader.MAX_SIZE_PROPERTY, "64");
        try {
            DescriptorException fromFile = assertThrows(DescriptorException.class, () -> DescriptorLoader.load(file));
            assertTrue(fromFile.getMessage().contains("is " + Files.size(file) + " bytes, more than the 64-byte limit"),
                    fromFile::getMessage);
            DescriptorException fromStream = assertThrows(DescriptorException.class, () -> DescriptorLoader.load(
                    new ByteArrayInputStream(VALID.getBytes(StandardCharsets.UTF_8)), "in-war.xml", null));
            assertTrue(fromStream.getMessage().startsWith("in-war.xml: the descriptor is larger than the 64-byte limit"),
                    fromStream::getMessage);
        } finally {
            if (before == null) {
                System.clearProperty(DescriptorReader.MAX_SIZE_PROPERTY);
            } else {
                System.setProperty(DescriptorReader.MAX_SIZE_PROPERTY, before);
            }
        }
        DescriptorLoader.load(file); // and under the default, the same file loads
    }

    @Test
    void aTenMegabyteAttributeIsRefusedQuotingOnlyItsFirstCharacters() {
        // (20 MB, as in the red-team's descriptor, is refused by its size before it is parsed)
        String huge = "a".repeat(10_000_000);
        String xml = VALID.replace("<pass path=\"/\"",
                "<balancer name=\"" + huge + "\"><member url=\"http://127.0.0.1:8081\"/></balancer>\n  <pass path=\"/\"");

        DescriptorException e = assertThrows(DescriptorException.class, () -> DescriptorLoader.load(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "big-value.xml", null));

        assertEquals("big-value.xml:2:13: name=\"" + "a".repeat(200) + "\u2026 (10000000 chars)\" on <balancer> is too long:"
                + " the longest value allowed is 8192 characters", e.getMessage());
    }

    @Test
    void aValueJustUnderTheBoundIsValidatedAndQuotedShort() {
        String xml = VALID.replace("to=\"http://127.0.0.1:8080/\"", "to=\"" + "x".repeat(8000) + "\"");

        DescriptorException e = assertThrows(DescriptorException.class, () -> DescriptorLoader.load(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "long-url.xml", null));

        assertTrue(e.getMessage().contains("x".repeat(200) + "\u2026 (8000 chars)"), e::getMessage);
        assertFalse(e.getMessage().contains("x".repeat(201)), e::getMessage);
    }

    @Test
    void aLongQuotedValueKeepsItsFirstTwoHundredCharactersAndItsLength() {
        String value = "x".repeat(300);
        assertEquals("unknown lbmethod '" + "x".repeat(200) + "\u2026 (300 chars)' (known: byrequests)",
                DescriptorException.shorten("unknown lbmethod '" + value + "' (known: byrequests)"));
        assertEquals("url \"" + "x".repeat(200) + "\u2026 (300 chars)\" is bad", DescriptorException.shorten("url \"" + value + "\" is bad"));
        assertEquals("short 'values' stay", DescriptorException.shorten("short 'values' stay"));
        String longProse = "y".repeat(3000);
        assertEquals("y".repeat(2000) + "\u2026 (3000 chars)", DescriptorException.shorten(longProse));
    }
}
