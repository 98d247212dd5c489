package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** Loads descriptor text written in a test, and checks refusals for file, line, column and wording. */
final class TestDescriptors {

    /** The name every descriptor loaded from test text is given. */
    static final String FILE = "test.xml";

    private TestDescriptors() {
    }

    static Descriptor load(String xml) throws DescriptorException {
        return DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), FILE, null);
    }

    /** Loads {@code xml}, expecting it refused at {@code line}:{@code column} with a message holding every fragment. */
    static DescriptorException refused(String xml, int line, int column, String... fragments) {
        DescriptorException e = assertThrows(DescriptorException.class, () -> load(xml));
        String prefix = FILE + ":" + line + ":" + column + ": ";
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected " + prefix + "... but got: " + e.getMessage());
        assertEquals(new SourceLocation(FILE, line, column), e.location());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "expected '" + f + "' in: " + e.getMessage());
        }
        return e;
    }
}
