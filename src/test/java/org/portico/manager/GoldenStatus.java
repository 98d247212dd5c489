package org.portico.manager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one expected {@code ?xml=1} document ({@code status.golden.xml}), shared by {@link XmlStatusTest}
 * (all of it) and {@link StandaloneManagerIT} (its envelope and the {@code full} balancer the container runs).
 */
final class GoldenStatus {

    /** The members of {@link #DOCUMENT}'s balancers, in its order. */
    static final String DESCRIPTOR = """
            <balancer name="sticky" stickysession="JSESSIONID|jsessionid" maxattempts="1" timeout="5s" lbmethod="bytraffic">
              <member url="http://127.0.0.1:9" route="n1" timeout="30s" acquire="250ms" keepalive="true"
                      connectiontimeout="2s" retry="5s" ttl="60s" iobuffersize="16384" receivebuffersize="65536"
                      disablereuse="true" loadfactor="2.5"/>
            </balancer>
            <balancer name="plain"><member url="https://backend.example/app/" status="+H" lbset="1"/></balancer>
            <balancer name="full"><member url="http://127.0.0.1:11"/></balancer>
            """;

    /** The document, without the file's final line break (httpd's ends at the root's end tag). */
    static final String DOCUMENT = read();

    private GoldenStatus() {
    }

    /** Everything up to and including the {@code <httpd:balancers>} line. */
    static String head() {
        return DOCUMENT.substring(0, DOCUMENT.indexOf("<httpd:balancers>\n") + "<httpd:balancers>\n".length());
    }

    /** Everything from the {@code </httpd:balancers>} line on. */
    static String tail() {
        return DOCUMENT.substring(DOCUMENT.indexOf("  </httpd:balancers>"));
    }

    /** The lines of the balancer named {@code name}, from its start tag's line to its end tag's line. */
    static String balancer(String name) {
        int at = DOCUMENT.indexOf("<httpd:name>balancer://" + name + "</httpd:name>");
        int start = DOCUMENT.lastIndexOf("    <httpd:balancer>", at);
        String end = "    </httpd:balancer>\n";
        return DOCUMENT.substring(start, DOCUMENT.indexOf(end, at) + end.length());
    }

    private static String read() {
        try (InputStream in = GoldenStatus.class.getResourceAsStream("status.golden.xml")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.substring(0, text.length() - 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
