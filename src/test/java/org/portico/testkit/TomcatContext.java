package org.portico.testkit;

import java.io.File;
import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The {@code META-INF/context.xml} a test's copy of the WAR needs in Arquillian's embedded Tomcat, whose adapter has
 * no realm setting: a MemoryRealm reading {@code src/test/resources/tomcat-users.xml}, and context params as
 * {@code <Parameter>}s, as an operator writes them in {@code conf/Catalina/localhost/APP.xml}.
 */
public final class TomcatContext {

    private TomcatContext() {
    }

    /** Adds the context XML to {@code war}: the realm, then each {@code name, value} pair of {@code params}. */
    public static WebArchive withRealm(WebArchive war, String... params) {
        if (params.length % 2 != 0) {
            throw new IllegalArgumentException("params come in name, value pairs");
        }
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartElement("Context");
            xml.writeEmptyElement("Realm");
            xml.writeAttribute("className", "org.apache.catalina.realm.MemoryRealm");
            xml.writeAttribute("pathname", new File("src/test/resources/tomcat-users.xml").getAbsolutePath());
            for (int i = 0; i < params.length; i += 2) {
                xml.writeEmptyElement("Parameter");
                xml.writeAttribute("name", params[i]);
                xml.writeAttribute("value", params[i + 1]);
            }
            xml.writeEndElement();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return war.addAsManifestResource(new StringAsset(out.toString()), "context.xml");
    }
}
