package org.portico.backend.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** SEND_HEADERS payloads, laid out as the AJPv13 reference draws them, decoded into a response head. */
class ResponseHeadTest {

    private static AjpReader reader(byte[] payload) {
        return new AjpReader(payload, 0, payload.length);
    }

    @Test
    void codedAndNamedHeadersAndTheBodyLength() throws Exception {
        byte[] p = new AjpBytes().i(201).s("Created").i(3).i(0xA001).s("text/plain").s("X-A").s("b")
                .i(0xA003).s("5").payload();
        ResponseHead h = ResponseHead.decode(reader(p), false);
        assertEquals(201, h.response().getCode());
        assertEquals("Created", h.response().getReasonPhrase());
        assertEquals("text/plain", h.response().getFirstHeader("Content-Type").getValue());
        assertEquals("b", h.response().getFirstHeader("X-A").getValue());
        assertEquals(5, h.entity().getContentLength());
        assertEquals("text/plain", h.entity().getContentType());
    }

    @Test
    void setCookieAndWwwAuthenticateCodes() throws Exception {
        byte[] p = new AjpBytes().i(401).s(null).i(2).i(0xA007).s("a=1").i(0xA00B).s("Basic realm=\"r\"").payload();
        ResponseHead h = ResponseHead.decode(reader(p), false);
        assertEquals("a=1", h.response().getFirstHeader("Set-Cookie").getValue());
        assertEquals("Basic realm=\"r\"", h.response().getFirstHeader("WWW-Authenticate").getValue());
        assertEquals(-1, h.entity().getContentLength(), "no Content-Length: the body runs to END_RESPONSE");
    }

    @Test
    void headRequestsAndBodilessStatusesHaveNoEntity() throws Exception {
        byte[] ok = new AjpBytes().i(200).s("OK").i(1).i(0xA003).s("10").payload();
        assertNull(ResponseHead.decode(reader(ok), true).entity());
        byte[] notModified = new AjpBytes().i(304).s(null).i(0).payload();
        assertNull(ResponseHead.decode(reader(notModified), false).entity());
        byte[] empty = new AjpBytes().i(200).s(null).i(1).i(0xA003).s("0").payload();
        assertNull(ResponseHead.decode(reader(empty), false).entity());
    }

    @Test
    void unknownHeaderCodesAndShortPacketsAreMalformed() {
        byte[] unknown = new AjpBytes().i(200).s("OK").i(1).i(0xA00F).s("x").payload();
        assertThrows(AjpReader.Malformed.class, () -> ResponseHead.decode(reader(unknown), false));
        byte[] cut = new AjpBytes().i(200).s("OK").i(2).i(0xA001).s("text/plain").payload();
        assertThrows(AjpReader.Malformed.class, () -> ResponseHead.decode(reader(cut), false));
    }
}
