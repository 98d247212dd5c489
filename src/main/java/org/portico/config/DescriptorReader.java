package org.portico.config;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventLocator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.portico.config.xml.Portico;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * Reads a descriptor document: well-formedness and XSD validation with file, line and column in
 * every error. DOCTYPEs are refused, so neither external entities (XXE) nor entity expansion can
 * happen. Thread-safe.
 */
final class DescriptorReader {

    static final String SCHEMA_RESOURCE = "/org/portico/config/portico.xsd";

    private static final JAXBContext CONTEXT;
    private static final Schema SCHEMA;

    static {
        try {
            CONTEXT = JAXBContext.newInstance(Portico.class);
            SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            URL xsd = DescriptorReader.class.getResource(SCHEMA_RESOURCE);
            if (xsd == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path");
            }
            SCHEMA = sf.newSchema(xsd);
        } catch (JAXBException | SAXException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DescriptorReader() {
    }

    static Portico read(InputStream in, String file) throws DescriptorException {
        ValidationEvent[] firstError = new ValidationEvent[1];
        try {
            Unmarshaller u = CONTEXT.createUnmarshaller();
            u.setSchema(SCHEMA);
            u.setEventHandler(event -> {
                if (firstError[0] == null) {
                    firstError[0] = event;
                }
                return false;
            });
            InputSource source = new InputSource(in);
            source.setSystemId(file);
            Object result = u.unmarshal(new SAXSource(secureReader(), source));
            if (result instanceof JAXBElement) {
                result = ((JAXBElement<?>) result).getValue();
            }
            if (!(result instanceof Portico)) {
                throw new DescriptorException(SourceLocation.unknown(file),
                        "the root element must be <portico xmlns=\"urn:portico:descriptor:1\">");
            }
            return (Portico) result;
        } catch (UnmarshalException e) {
            throw translate(e, firstError[0], file);
        } catch (JAXBException | SAXException | ParserConfigurationException e) {
            throw new DescriptorException(SourceLocation.unknown(file), "cannot be read: " + e, e);
        }
    }

    private static XMLReader secureReader() throws ParserConfigurationException, SAXException {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newSAXParser().getXMLReader();
    }

    private static DescriptorException translate(UnmarshalException e, ValidationEvent event, String file) {
        Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e.getCause();
        if (cause instanceof SAXParseException) {
            SAXParseException p = (SAXParseException) cause;
            return new DescriptorException(new SourceLocation(file, p.getLineNumber(), p.getColumnNumber()),
                    explain(p.getMessage()), e);
        }
        if (event != null) {
            ValidationEventLocator l = event.getLocator();
            SourceLocation where = l == null ? SourceLocation.unknown(file)
                    : new SourceLocation(file, l.getLineNumber(), l.getColumnNumber());
            return new DescriptorException(where, explain(event.getMessage()), e);
        }
        if (cause instanceof IOException) {
            return new DescriptorException(SourceLocation.unknown(file), "cannot be read: " + cause.getMessage(), e);
        }
        return new DescriptorException(SourceLocation.unknown(file), String.valueOf(e.getMessage() != null ? e.getMessage() : cause), e);
    }

    private static String explain(String parserMessage) {
        if (parserMessage != null && parserMessage.contains("disallow-doctype-decl")) {
            return "DOCTYPE declarations are not allowed in a Portico descriptor (they would enable external entities and entity expansion)";
        }
        if (parserMessage != null && parserMessage.startsWith("cvc-")) {
            int colon = parserMessage.indexOf(": ");
            return colon > 0 ? parserMessage.substring(colon + 2) : parserMessage;
        }
        return parserMessage;
    }
}
