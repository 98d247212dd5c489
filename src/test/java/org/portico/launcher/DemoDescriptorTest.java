package org.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portico.config.BalancerConfig;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorLoader;
import org.portico.config.WorkerConfig;

/** The descriptor --demo runs: examples/demo.xml on the demo backends' ports, or a loud failure. */
class DemoDescriptorTest {

    private static String demoXml() throws Exception {
        return Files.readString(Path.of("examples", "demo.xml")); // surefire runs in the project's base directory
    }

    @Test
    void theDemoRunsExamplesDemoXmlOnItsBackendsPortsWithRoomToAddMembers() throws Exception {
        String xml = Main.withDemoPorts(demoXml(), List.of(40001, 40002));
        Descriptor d = DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "demo.xml", null);
        BalancerConfig demo = d.balancer("demo").orElseThrow();
        assertEquals(List.of("http://127.0.0.1:40001", "http://127.0.0.1:40002"),
                demo.members().stream().map(WorkerConfig::name).toList());
        assertEquals(3, demo.growth());
    }

    @Test
    void aDemoXmlWithoutTheEditedTextFailsNamingIt() throws Exception {
        String moved = demoXml().replace("\"http://127.0.0.1:8082\"", "\"http://localhost:8082\"");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Main.withDemoPorts(moved, List.of(1, 2)));
        assertEquals("examples/demo.xml must contain \"http://127.0.0.1:8082\" exactly once (the demo sets its ports and"
                + " growth there); it contains it nowhere", e.getMessage());
    }
}
