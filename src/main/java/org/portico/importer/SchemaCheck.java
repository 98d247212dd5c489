package org.portico.importer;

import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Validates descriptor text against Portico's XSD, which travels as a class path resource in the WAR
 * and in the standalone jar. Uses only the JDK, so it works where the WAR's own loader is absent.
 * Thread-safe.
 */
public final class SchemaCheck {

    static final String SCHEMA_RESOURCE = "/org/portico/config/portico.xsd";

    private static volatile Schema schema;

    private SchemaCheck() {
    }

    /** The problems the schema finds, each as "line:column: message"; empty when the text is valid. */
    public static List<String> problems(String descriptor) {
        List<String> problems = new ArrayList<>();
        Validator v = schema().newValidator();
        try {
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            throw new IllegalStateException("the XML validator cannot be made safe: " + e.getMessage(), e);
        }
        v.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // warnings do not make a descriptor invalid
            }

            @Override
            public void error(SAXParseException e) {
                problems.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                problems.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
            }
        });
        try {
            v.validate(new StreamSource(new StringReader(descriptor)));
        } catch (SAXException e) {
            if (problems.isEmpty()) {
                problems.add(e.getMessage());
            }
        } catch (IOException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    private static Schema schema() {
        Schema s = schema;
        if (s == null) {
            URL xsd = SchemaCheck.class.getResource(SCHEMA_RESOURCE);
            if (xsd == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path");
            }
            try {
                SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                s = sf.newSchema(xsd);
            } catch (SAXException e) {
                throw new IllegalStateException("the descriptor schema does not load: " + e.getMessage(), e);
            }
            schema = s;
        }
        return s;
    }
}
