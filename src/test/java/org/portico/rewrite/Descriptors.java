package org.portico.rewrite;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.config.DescriptorLoader;

/** Descriptors written in a test: only the elements inside {@code <portico>}. */
final class Descriptors {

    private Descriptors() {
    }

    static Descriptor load(String elements) {
        String xml = "<portico xmlns=\"urn:portico:descriptor:1\">\n" + elements + "\n</portico>\n";
        try {
            return DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test.xml", null);
        } catch (DescriptorException e) {
            throw new AssertionError("test descriptor refused: " + e.getMessage(), e);
        }
    }
}
