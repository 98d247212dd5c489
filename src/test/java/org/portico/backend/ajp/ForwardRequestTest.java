package org.portico.backend.ajp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Map;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;
import org.portico.backend.ClientConnection;

/** The forward-request packet, byte for byte against the AJPv13 layout. */
class ForwardRequestTest {

    private static ClientConnection client(boolean secure, ClientConnection.Tls tls, String route, Map<String, String> env) {
        return new ClientConnection("10.0.0.1", null, 5555, "10.0.0.2", "front", 8080, "HTTP/1.1", secure, tls,
                null, null, route, env);
    }

    private static void assertBytes(byte[] expected, AjpMessage actual) {
        HexFormat hex = HexFormat.ofDelimiter(" ");
        assertArrayEquals(expected, actual.toArray(), () -> "expected " + hex.formatHex(expected) + "\n but was "
                + hex.formatHex(actual.toArray()));
    }

    @Test
    void aGetCarriesMethodUriAddressesCodedHeadersQuerySecretAndRemotePort() throws Exception {
        BasicHttpRequest get = new BasicHttpRequest("GET", "/app/x?y=1&z");
        get.addHeader("Host", "front:8080");
        get.addHeader("Accept", "*/*");
        get.addHeader("X-Other", "v");
        AjpMessage m = ForwardRequest.encode(get, null, client(false, null, null, Map.of()), "sec", AjpCodes.DEFAULT_PACKET);
        byte[] expected = new AjpBytes().b(0x02, 0x02).s("HTTP/1.1").s("/app/x").s("10.0.0.1").s(null).s("front")
                .i(8080).b(0).i(3)
                .i(0xA00B).s("front:8080").i(0xA001).s("*/*").s("X-Other").s("v")
                .b(0x0C).s("sec").b(0x05).s("y=1&z")
                .b(0x0A).s("AJP_REMOTE_PORT").s("5555").b(0x0A).s("AJP_LOCAL_ADDR").s("10.0.0.2")
                .b(0xFF).toContainer();
        assertBytes(expected, m);
    }

    @Test
    void aPostWithALengthSendsContentLengthCodedAndTheRouteAndTlsAttributes() throws Exception {
        BasicHttpRequest post = new BasicHttpRequest("POST", "/p");
        ClientConnection.Tls tls = new ClientConnection.Tls("TLS_AES_128_GCM_SHA256", "abcd", 128, null);
        AjpMessage m = ForwardRequest.encode(post, new BasicEntityDetails(10, ContentType.TEXT_PLAIN),
                client(true, tls, "node1", Map.of("AJP_color", "blue", "OTHER", "x")), null, AjpCodes.DEFAULT_PACKET);
        byte[] expected = new AjpBytes().b(0x02, 0x04).s("HTTP/1.1").s("/p").s("10.0.0.1").s(null).s("front")
                .i(8080).b(1).i(1)
                .i(0xA008).s("10")
                .b(0x06).s("node1").b(0x08).s("TLS_AES_128_GCM_SHA256").b(0x09).s("abcd").b(0x0B).i(128)
                .b(0x0A).s("AJP_REMOTE_PORT").s("5555").b(0x0A).s("AJP_LOCAL_ADDR").s("10.0.0.2")
                .b(0x0A).s("color").s("blue")
                .b(0xFF).toContainer();
        assertBytes(expected, m);
    }

    @Test
    void aBodyWithoutLengthIsAnnouncedAsChunked() throws Exception {
        BasicHttpRequest put = new BasicHttpRequest("PUT", "/c");
        AjpMessage m = ForwardRequest.encode(put, new BasicEntityDetails(-1, null), null, null, AjpCodes.DEFAULT_PACKET);
        byte[] expected = new AjpBytes().b(0x02, 0x05).s("HTTP/1.1").s("/c").s("").s(null).s("").i(0).b(0).i(1)
                .s("Transfer-Encoding").s("chunked").b(0xFF).toContainer();
        assertBytes(expected, m);
    }

    @Test
    void aMethodWithoutAnAjpCodeGoesAsAStoredMethod() throws Exception {
        AjpMessage m = ForwardRequest.encode(new BasicHttpRequest("PATCH", "/p"), null, null, null, AjpCodes.DEFAULT_PACKET);
        byte[] expected = new AjpBytes().b(0x02, 0xFF).s("HTTP/1.1").s("/p").s("").s(null).s("").i(0).b(0).i(0)
                .b(0x0D).s("PATCH").b(0xFF).toContainer();
        assertBytes(expected, m);
    }

    @Test
    void aHeadThatDoesNotFitInOnePacketOverflows() {
        BasicHttpRequest get = new BasicHttpRequest("GET", "/");
        get.addHeader("X-Big", "x".repeat(AjpCodes.DEFAULT_PACKET));
        AjpMessage.Overflow o = assertThrows(AjpMessage.Overflow.class,
                () -> ForwardRequest.encode(get, null, null, null, AjpCodes.DEFAULT_PACKET));
        assertTrue(o.getMessage().contains("overflows 8192 bytes at the headers"), o.getMessage());
    }

    @Test
    void aHeadOver8KiBFitsThePacketAnIobuffersizeOf65536Makes() throws Exception {
        BasicHttpRequest get = new BasicHttpRequest("GET", "/");
        get.addHeader("X-Big", "x".repeat(3 * AjpCodes.DEFAULT_PACKET));
        AjpMessage m = ForwardRequest.encode(get, null, null, null, AjpCodes.packetSize(65536));
        int length = m.finish();
        assertTrue(length > 3 * AjpCodes.DEFAULT_PACKET && length <= 65536, "packet of " + length + " bytes");
        assertEquals(length - AjpCodes.HEADER, ((m.bytes()[2] & 0xFF) << 8) | (m.bytes()[3] & 0xFF), "the payload length");
    }

    @Test
    void thePacketSizeIsIobuffersizeWithinAjpsBoundsInWholeKibAsHttpdSizesIt() {
        assertEquals(8192, AjpCodes.packetSize(512), "never below AJP's 8 KiB");
        assertEquals(8192, AjpCodes.packetSize(8192));
        assertEquals(9216, AjpCodes.packetSize(8193), "rounded up to a whole KiB (APR_ALIGN)");
        assertEquals(65536, AjpCodes.packetSize(65536));
        assertEquals(65536, AjpCodes.packetSize(1 << 20), "never above AJP's 64 KiB");
    }
}
