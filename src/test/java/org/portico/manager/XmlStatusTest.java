package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.portico.proxy.Gateway;

/** {@code ?xml=1}: httpd's document, element for element (spec §8). */
class XmlStatusTest {

    @Test
    void theDocumentHasHttpdsElementsInHttpdsOrder() throws Exception {
        try (Gateway g = Fixtures.gateway(GoldenStatus.DESCRIPTOR)) {
            assertEquals(GoldenStatus.DOCUMENT, XmlStatus.render(g.balancers()));
        }
    }

    @Test
    void aMemberInErrorShowsItsErrorTimeAsHttpdWritesIt() throws Exception {
        try (Gateway g = Fixtures.gateway(GoldenStatus.DESCRIPTOR)) {
            g.balancer("sticky").members().get(0).markError(1_700_000_000_000L);
            String xml = XmlStatus.render(g.balancers());
            assertTrue(xml.contains("""
                              <httpd:status>Init Err </httpd:status>
                              <httpd:error_time>Tue, 14 Nov 2023 22:13:20 GMT</httpd:error_time>
                              <httpd:retries>0</httpd:retries>
                    """), xml);
        }
    }

    @Test
    void valuesAreEscaped() throws Exception {
        try (Gateway g = Fixtures.gateway("<balancer name=\"x\"><member url=\"http://h\" route=\"a&amp;b&lt;c\"/></balancer>")) {
            String xml = XmlStatus.render(g.balancers());
            assertEquals(1, xml.split("<httpd:route>a&amp;b&lt;c</httpd:route>", -1).length - 1, xml);
        }
    }
}
