package org.portico.backend.ajp;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;

/**
 * An AJP13_SEND_HEADERS packet as an HttpCore response head, and the body details the head announces.
 *
 * @param entity null when the response has no body (a HEAD request, 1xx, 204, 304, Content-Length: 0)
 */
record ResponseHead(HttpResponse response, EntityDetails entity) {

    /** Decodes the payload after its type byte. */
    static ResponseHead decode(AjpReader r, boolean headRequest) throws AjpReader.Malformed {
        int status = r.getInt();
        String message = r.getString();
        if (status < 100 || status > 999) {
            throw new AjpReader.Malformed("status " + status);
        }
        BasicHttpResponse response = new BasicHttpResponse(status, message == null || message.isEmpty() ? null : message);
        int count = r.getInt();
        long length = -1;
        String contentType = null;
        for (int i = 0; i < count; i++) {
            String name = r.getHeaderName();
            String value = r.getString();
            if (name == null || value == null) {
                throw new AjpReader.Malformed("a header without name or value");
            }
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    length = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    throw new AjpReader.Malformed("Content-Length '" + value + "'");
                }
            } else if (name.equalsIgnoreCase("Content-Type")) {
                contentType = value;
            }
            response.addHeader(name, value);
        }
        boolean bodiless = headRequest || status < 200 || status == 204 || status == 304 || length == 0;
        EntityDetails entity = bodiless ? null : new BasicEntityDetails(length, contentType == null ? null
                : ContentType.parseLenient(contentType));
        return new ResponseHead(response, entity);
    }
}
