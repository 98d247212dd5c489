package org.portico.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.StringJoiner;

/** The descriptor file a test rewrites while Portico runs, as a deployment tool would: whole, by a rename. */
final class DescriptorFile {

    final Path path;
    private int writes;

    DescriptorFile() throws IOException {
        path = Files.createTempFile("portico-reload", ".xml");
        path.toFile().deleteOnExit();
    }

    /**
     * Writes {@code xml} in place of the file, atomically (a temp file in the same directory, then a rename),
     * with a comment numbering the write: each write is a change, even of an equal descriptor.
     */
    synchronized void write(String xml) throws IOException {
        Path tmp = Files.createTempFile(path.getParent(), ".portico-reload", ".tmp");
        Files.writeString(tmp, xml + "<!-- write " + ++writes + " -->\n");
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A descriptor with balancer {@code web} at {@code /} whose members are given as attribute lists, e.g.
     * {@code url="http://127.0.0.1:1234" loadfactor="2"}.
     */
    static String balancer(String... members) {
        StringJoiner xml = new StringJoiner("\n", "<portico xmlns=\"urn:portico:descriptor:1\">\n  <balancer name=\"web\" growth=\"2\">\n",
                "\n  </balancer>\n  <pass path=\"/\" to=\"balancer://web/\"/>\n</portico>\n");
        for (String m : members) {
            xml.add("    <member " + m + "/>");
        }
        return xml.toString();
    }

    static void delete(DescriptorFile f) throws IOException {
        if (f != null) {
            Files.deleteIfExists(f.path);
        }
    }
}
