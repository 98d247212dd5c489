package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.portico.proxy.Gateway;

/** {@code ?xml=1}: httpd's document, element for element (spec §8). */
class XmlStatusTest {

    @Test
    void theDocumentHasHttpdsElementsInHttpdsOrder() throws Exception {
        try (Gateway g = Fixtures.gateway("""
                <balancer name="sticky" stickysession="JSESSIONID|jsessionid" maxattempts="1" timeout="5s" lbmethod="bytraffic">
                  <member url="http://127.0.0.1:9" route="n1" timeout="30s" acquire="250ms" keepalive="true"
                          connectiontimeout="2s" retry="5s" ttl="60s" iobuffersize="16384" receivebuffersize="65536"
                          disablereuse="true" loadfactor="2.5"/>
                </balancer>
                <balancer name="plain"><member url="https://backend.example/app/" status="+H" lbset="1"/></balancer>
                """)) {
            g.balancer("sticky").members().get(0).markError(1_700_000_000_000L);
            assertEquals("""
                    <?xml version='1.0' encoding='UTF-8' ?>
                    <httpd:manager xmlns:httpd='http://httpd.apache.org'>
                      <httpd:balancers>
                        <httpd:balancer>
                          <httpd:name>balancer://sticky</httpd:name>
                          <httpd:stickysession>JSESSIONID</httpd:stickysession>
                          <httpd:nofailover>Off</httpd:nofailover>
                          <httpd:timeout>5</httpd:timeout>
                          <httpd:maxattempts>1</httpd:maxattempts>
                          <httpd:lbmethod>bytraffic</httpd:lbmethod>
                          <httpd:scolonpathdelim>Off</httpd:scolonpathdelim>
                          <httpd:workers>
                            <httpd:worker>
                              <httpd:name>http://127.0.0.1:9</httpd:name>
                              <httpd:scheme>http</httpd:scheme>
                              <httpd:hostname>127.0.0.1</httpd:hostname>
                              <httpd:loadfactor>2.50</httpd:loadfactor>
                              <httpd:port>9</httpd:port>
                              <httpd:min>0</httpd:min>
                              <httpd:smax>512</httpd:smax>
                              <httpd:max>512</httpd:max>
                              <httpd:ttl>60</httpd:ttl>
                              <httpd:timeout>30</httpd:timeout>
                              <httpd:acquire>250</httpd:acquire>
                              <httpd:recv_buffer_size>65536</httpd:recv_buffer_size>
                              <httpd:io_buffer_size>16384</httpd:io_buffer_size>
                              <httpd:keepalive>On</httpd:keepalive>
                              <httpd:status>Init Err </httpd:status>
                              <httpd:error_time>Tue, 14 Nov 2023 22:13:20 GMT</httpd:error_time>
                              <httpd:retries>0</httpd:retries>
                              <httpd:lbstatus>0</httpd:lbstatus>
                              <httpd:loadfactor>2.50</httpd:loadfactor>
                              <httpd:transferred>0</httpd:transferred>
                              <httpd:read>0</httpd:read>
                              <httpd:elected>0</httpd:elected>
                              <httpd:route>n1</httpd:route>
                              <httpd:redirect></httpd:redirect>
                              <httpd:busy>0</httpd:busy>
                              <httpd:lbset>0</httpd:lbset>
                              <httpd:disablereuse>On</httpd:disablereuse>
                              <httpd:connectiontimeout>2000</httpd:connectiontimeout>
                              <httpd:retry>5</httpd:retry>
                            </httpd:worker>
                          </httpd:workers>
                        </httpd:balancer>
                        <httpd:balancer>
                          <httpd:name>balancer://plain</httpd:name>
                          <httpd:timeout>0</httpd:timeout>
                          <httpd:lbmethod>byrequests</httpd:lbmethod>
                          <httpd:workers>
                            <httpd:worker>
                              <httpd:name>https://backend.example/app/</httpd:name>
                              <httpd:scheme>https</httpd:scheme>
                              <httpd:hostname>backend.example</httpd:hostname>
                              <httpd:loadfactor>1.00</httpd:loadfactor>
                              <httpd:port>443</httpd:port>
                              <httpd:min>0</httpd:min>
                              <httpd:smax>512</httpd:smax>
                              <httpd:max>512</httpd:max>
                              <httpd:ttl>0</httpd:ttl>
                              <httpd:status>Init Stby Ok </httpd:status>
                              <httpd:retries>0</httpd:retries>
                              <httpd:lbstatus>0</httpd:lbstatus>
                              <httpd:loadfactor>1.00</httpd:loadfactor>
                              <httpd:transferred>0</httpd:transferred>
                              <httpd:read>0</httpd:read>
                              <httpd:elected>0</httpd:elected>
                              <httpd:route></httpd:route>
                              <httpd:redirect></httpd:redirect>
                              <httpd:busy>0</httpd:busy>
                              <httpd:lbset>1</httpd:lbset>
                            </httpd:worker>
                          </httpd:workers>
                        </httpd:balancer>
                      </httpd:balancers>
                    </httpd:manager>""", XmlStatus.render(g.balancers()));
        }
    }

    @Test
    void valuesAreEscaped() throws Exception {
        try (Gateway g = Fixtures.gateway("<balancer name=\"x\"><member url=\"http://h\" route=\"a&amp;b\"/></balancer>")) {
            String xml = XmlStatus.render(g.balancers());
            assertEquals(1, xml.split("<httpd:route>a&amp;b</httpd:route>", -1).length - 1, xml);
        }
    }
}
