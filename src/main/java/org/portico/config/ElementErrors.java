package org.portico.config;

import org.glassfish.jaxb.core.Locatable;
import org.xml.sax.Locator;

/** Errors placed where a descriptor element or one of its attributes was written. */
final class ElementErrors {

    private final SourceText source;
    private final String file;

    ElementErrors(SourceText source) {
        this.source = source;
        this.file = source.file();
    }

    /** Where the element {@code o} begins (the start of its tag). */
    SourceLocation where(Object o) {
        Locator l = o instanceof Locatable ? ((Locatable) o).sourceLocation() : null;
        return l == null ? SourceLocation.unknown(file) : source.tagStart(l.getLineNumber(), l.getColumnNumber());
    }

    DescriptorException error(Object at, String problem) {
        return new DescriptorException(where(at), problem);
    }

    /** An error placed at {@code attribute} of the element {@code at}. */
    DescriptorException error(Object at, String attribute, String problem) {
        Locator l = at instanceof Locatable ? ((Locatable) at).sourceLocation() : null;
        SourceLocation where = l == null ? SourceLocation.unknown(file)
                : source.attribute(l.getLineNumber(), l.getColumnNumber(), attribute);
        return new DescriptorException(where, problem);
    }

}
