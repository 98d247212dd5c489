package org.portico.config;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.UnmarshallerHandler;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventLocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import org.portico.config.xml.Portico;
import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.Locator;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * Reads a descriptor document: well-formedness and XSD validation with file, line and column in
 * every error. DOCTYPEs are refused, so neither external entities (XXE) nor entity expansion can
 * happen. Thread-safe.
 */
final class DescriptorReader {

    static final String SCHEMA_RESOURCE = "/org/portico/config/portico.xsd";
    static final String NAMESPACE = "urn:portico:descriptor:1";

    /** Xerces' property for the language of its messages; {@link SchemaMessages} reads the English ones. */
    private static final String LOCALE = "http://apache.org/xml/properties/locale";
    private static final Pattern ENCODING = Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

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

    /** A schema-valid document and its text, which the binder needs to place its own errors. */
    record Parsed(Portico document, SourceText source) {
    }

    private DescriptorReader() {
    }

    /**
     * The largest descriptor read, in bytes: {@code -Dportico.max-descriptor-size}, else 16 MiB. A descriptor
     * is kilobytes; the bound keeps a wrong file (a log, a dump) from filling the heap at deployment.
     */
    static long maxSize() {
        return Long.getLong(MAX_SIZE_PROPERTY, DEFAULT_MAX_SIZE);
    }

    static final String MAX_SIZE_PROPERTY = "portico.max-descriptor-size";
    static final long DEFAULT_MAX_SIZE = 16L * 1024 * 1024;

    /** The refusal of a descriptor of {@code size} bytes (-1: read from a stream, so only known to be larger). */
    static DescriptorException tooLarge(String file, long size, long limit) {
        return new DescriptorException(SourceLocation.unknown(file), "the descriptor is "
                + (size < 0 ? "larger than" : size + " bytes, more than") + " the " + limit + "-byte limit (-D"
                + MAX_SIZE_PROPERTY + "=BYTES; default " + DEFAULT_MAX_SIZE + ", 16 MiB)");
    }

    static Parsed read(InputStream in, String file) throws DescriptorException {
        byte[] bytes;
        long limit = maxSize();
        try {
            bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw new DescriptorException(SourceLocation.unknown(file), "cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length > limit) {
            throw tooLarge(file, -1, limit);
        }
        // the parser reads the very text SourceText holds, so their lines and columns agree
        SourceText source = new SourceText(file, decode(bytes, file));
        Errors errors = new Errors(source);
        ValidationEvent[] bindingError = new ValidationEvent[1];
        try {
            UnmarshallerHandler unmarshaller = unmarshallerHandler(bindingError);
            ValidatorHandler validator = SCHEMA.newValidatorHandler();
            setLocale(validator);
            validator.setErrorHandler(errors);
            validator.setContentHandler(unmarshaller);
            XMLReader reader = secureReader();
            reader.setErrorHandler(errors);
            LongValues longValues = new LongValues(source);
            longValues.setContentHandler(validator);
            reader.setContentHandler(longValues);
            InputSource input = new InputSource(new StringReader(source.text()));
            input.setSystemId(file);
            reader.parse(input);
            errors.throwIfAny();
            if (bindingError[0] != null) {
                throw bindingProblem(source, bindingError[0]);
            }
            Object result = unmarshaller.getResult();
            if (result instanceof JAXBElement<?> e && e.getValue() instanceof Portico p
                    && NAMESPACE.equals(e.getName().getNamespaceURI())) {
                return new Parsed(p, source);
            }
            throw new DescriptorException(SourceLocation.unknown(file),
                    "the root element must be <portico xmlns=\"" + NAMESPACE + "\">");
        } catch (SAXException e) {
            if (e.getException() instanceof DescriptorException tooLong) {
                throw tooLong;
            }
            errors.throwIfAny();
            if (bindingError[0] != null) {
                throw bindingProblem(source, bindingError[0]);
            }
            throw new DescriptorException(SourceLocation.unknown(file), "cannot be read: " + e.getMessage(), e);
        } catch (JAXBException | ParserConfigurationException | IOException e) {
            throw new DescriptorException(SourceLocation.unknown(file), "cannot be read: " + e, e);
        }
    }

    /** The longest attribute value read. */
    static final int MAX_VALUE = 8192;

    /**
     * Refuses an attribute value over {@value #MAX_VALUE} characters before it is validated: the schema
     * validator's pattern matching takes time that grows with the square of a value's length (a 10 MB
     * value held the deployment for minutes). Descriptor values are URLs, names, durations and patterns.
     */
    private static final class LongValues extends XMLFilterImpl {
        private final SourceText source;
        private Locator locator;

        LongValues(SourceText source) {
            this.source = source;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            super.setDocumentLocator(locator);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            for (int i = 0; i < atts.getLength(); i++) {
                int length = atts.getValue(i).length();
                if (length > MAX_VALUE) {
                    String name = atts.getQName(i);
                    SourceLocation where = locator == null ? SourceLocation.unknown(source.file())
                            : source.attribute(locator.getLineNumber(), locator.getColumnNumber(), name);
                    // the exception quotes the value by its start and its length
                    throw new SAXException(new DescriptorException(where, name + "=\"" + atts.getValue(i) + "\" on <"
                            + qName + "> is too long: the longest value allowed is " + MAX_VALUE + " characters"));
                }
            }
            super.startElement(uri, localName, qName, atts);
        }
    }

    /**
     * The document's text: a byte order mark or the XML declaration names the encoding, else UTF-8.
     * Decoding here (rather than in the parser) lets SourceText see exactly what the parser sees.
     */
    private static String decode(byte[] bytes, String file) throws DescriptorException {
        Charset charset = StandardCharsets.UTF_8;
        int skip = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            skip = 3;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (bytes.length >= 2 && bytes[0] == 0 && bytes[1] == '<') {
            charset = StandardCharsets.UTF_16BE;
        } else if (bytes.length >= 2 && bytes[0] == '<' && bytes[1] == 0) {
            charset = StandardCharsets.UTF_16LE;
        } else {
            String head = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
            Matcher m = ENCODING.matcher(head);
            if (m.find()) {
                try {
                    charset = Charset.forName(m.group(1));
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    throw new DescriptorException(new SourceLocation(file, 1, 1),
                            "encoding '" + m.group(1) + "' is not supported: use UTF-8");
                }
            }
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DescriptorException(SourceLocation.unknown(file),
                    "is not valid " + charset.name() + " text: save it as UTF-8 or declare its encoding", e);
        }
    }

    private static UnmarshallerHandler unmarshallerHandler(ValidationEvent[] firstError) throws JAXBException {
        var u = CONTEXT.createUnmarshaller();
        u.setEventHandler(event -> {
            if (firstError[0] == null) {
                firstError[0] = event;
            }
            return false;
        });
        return u.getUnmarshallerHandler();
    }

    private static DescriptorException bindingProblem(SourceText source, ValidationEvent event) {
        ValidationEventLocator l = event.getLocator();
        SourceLocation where = l == null ? SourceLocation.unknown(source.file())
                : source.tagStart(l.getLineNumber(), l.getColumnNumber());
        return new DescriptorException(where, event.getMessage(), event.getLinkedException());
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
        XMLReader reader = f.newSAXParser().getXMLReader();
        try {
            reader.setProperty(LOCALE, Locale.ENGLISH);
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            // another parser: its messages are shown as they are
        }
        return reader;
    }

    private static void setLocale(ValidatorHandler validator) {
        try {
            validator.setProperty(LOCALE, Locale.ENGLISH);
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            // another validator: SchemaMessages falls back to its messages as they are
        }
    }

    /**
     * Keeps the first problem and stops the parse. A value error is let through once, because the
     * validator's next report names the attribute that holds the value.
     */
    private static final class Errors implements ErrorHandler {
        private final SourceText source;
        private SAXParseException first;
        private SAXParseException context;
        private boolean fatal;

        Errors(SourceText source) {
            this.source = source;
        }

        @Override
        public void warning(SAXParseException e) {
            // nothing the descriptor author has to act on
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            if (first == null) {
                first = e;
                if (SchemaMessages.isValueError(e)) {
                    return;
                }
            } else if (context == null) {
                context = e;
            }
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            if (first == null) {
                first = e;
                fatal = true;
            }
            throw e;
        }

        void throwIfAny() throws DescriptorException {
            if (first == null) {
                return;
            }
            if (!fatal) {
                throw SchemaMessages.explain(source, first, context);
            }
            String message = first.getMessage();
            if (message != null && message.contains("disallow-doctype-decl")) {
                throw new DescriptorException(source.tagStart(first.getLineNumber(), first.getColumnNumber()),
                        "DOCTYPE declarations are not allowed in a Portico descriptor"
                                + " (they would enable external entities and entity expansion)");
            }
            throw new DescriptorException(source.at(first.getLineNumber(), first.getColumnNumber()), message, first);
        }
    }
}
