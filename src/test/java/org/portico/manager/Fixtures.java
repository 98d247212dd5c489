package org.portico.manager;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.portico.balancer.LbMethods;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorLoader;
import org.portico.proxy.Gateway;

/** Gateways and manager requests made from descriptor text, for this package's unit tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** A running gateway (close it) from the descriptor body: elements inside {@code <portico>}. */
    static Gateway gateway(String body) throws Exception {
        return new Gateway(descriptor(body), lbMethods());
    }

    static Descriptor descriptor(String body) throws Exception {
        String xml = "<portico xmlns=\"urn:portico:descriptor:1\">\n" + body + "\n</portico>\n";
        return DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test.xml", null);
    }

    static LbMethods lbMethods() {
        return LbMethods.discover(Fixtures.class.getClassLoader());
    }

    /** Manager fields as a form would send them, in the order given: name, value, name, value... */
    static EditParams params(String... nameValues) {
        Map<String, String[]> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], new String[] {nameValues[i + 1]});
        }
        return EditParams.of(m);
    }

    /** Two members on unused loopback ports, three growth slots, and an hc-expr named ok. */
    static final String CLUSTER = """
            <hc-expr name="ok">%{REQUEST_STATUS} =~ /^[23]/</hc-expr>
            <balancer name="cluster" growth="3">
              <member url="http://127.0.0.1:9" route="r1"/>
              <member url="http://127.0.0.1:10" route="r2" loadfactor="2"/>
            </balancer>
            <balancer name="full">
              <member url="http://127.0.0.1:11"/>
            </balancer>
            <pass path="/app/" to="balancer://cluster/"/>
            """;
}
