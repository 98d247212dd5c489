package org.portico.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pages byte for byte: the lengths are those httpd 2.4.71 sent for the same errors (the fidelity kit's report). */
class ErrorPageTest {

    private static int length(String page) {
        return page.getBytes(StandardCharsets.ISO_8859_1).length;
    }

    @Test
    void maxForwardsZeroIsAProxyErrorWithTheBadRequestSentence() {
        String page = ErrorPage.html(400, "Max-Forwards has reached zero - proxy loop?");
        assertTrue(page.contains("<title>400 Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n"
                + "<p>Your browser sent a request that this server could not understand.<br />\n"
                + "The proxy server could not handle the request<p>Reason: <strong>Max-Forwards has reached zero - proxy loop?"
                + "</strong></p></p>\n</body></html>\n"), page);
        assertEquals(386, length(page));
    }

    @Test
    void readTimeoutIsAProxyErrorWithHttpdsReason() {
        assertEquals(381, length(ErrorPage.html(502, "Error reading from remote server")));
    }

    @Test
    void badHeaderLineIsAPlainBadGatewayWithCrlfInItsText() {
        String page = ErrorPage.html(502, null);
        assertTrue(page.contains("<title>502 Bad Gateway</title>"), page);
        assertTrue(page.contains("<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\n</p>\n"), page);
        assertEquals(272, length(page));
    }

    @Test
    void unavailableAndNotFoundPages() {
        assertEquals(339, length(ErrorPage.html(503, null)));
        assertEquals(236, length(ErrorPage.html(404, null)));
    }

    @Test
    void overriddenServerErrorTakesTheBackendsPhraseAndHttpdsDefaultText() {
        String page = ErrorPage.html(500, "Server Error", null, "GET");
        assertTrue(page.contains("<title>500 Server Error</title>"), page);
        assertTrue(page.contains(" [no address given] to inform them of the time this error occurred,\n"), page);
        assertEquals(553, length(page));
    }

    @Test
    void methodNotAllowedNamesTheMethodEscaped() {
        assertTrue(ErrorPage.html(405, "Method Not Allowed", null, "CONNECT")
                .contains("<p>The requested method CONNECT is not allowed for this URL.</p>\n"));
        assertTrue(ErrorPage.html(405, "Method Not Allowed", null, "<X>").contains("method &lt;X&gt; is"));
    }

    @Test
    void aProxyErrorNoteIsEscaped() {
        assertTrue(ErrorPage.html(502, "bad <b> & \"q\"").contains("<strong>bad &lt;b&gt; &amp; &quot;q&quot;</strong>"));
    }
}
