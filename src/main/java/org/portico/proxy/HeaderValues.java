package org.portico.proxy;

import java.util.Iterator;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpMessage;

/** The values of one header of an HttpClient message, iterated lazily (no list is built). */
final class HeaderValues implements Iterator<String> {

    private final Iterator<Header> headers;

    HeaderValues(HttpMessage message, String name) {
        this.headers = message.headerIterator(name);
    }

    @Override
    public boolean hasNext() {
        return headers.hasNext();
    }

    @Override
    public String next() {
        return headers.next().getValue();
    }
}
