package org.portico.tunnel;

import java.io.IOException;
import org.apache.hc.core5.http.message.BasicHttpResponse;

/** Finds and parses an HTTP/1.x response head as a backend sends it on the upgrade's connection. */
final class ResponseHeads {

    private ResponseHeads() {
    }

    /** The index just past the empty line that ends the head in {@code bytes[0, length)}, or -1. */
    static int endOfHead(byte[] bytes, int length) {
        return endOfHead(bytes, length, 0);
    }

    /** As {@link #endOfHead(byte[], int)}, looking from {@code from} on (what was searched before holds no end). */
    static int endOfHead(byte[] bytes, int length, int from) {
        for (int i = Math.max(3, from); i < length; i++) {
            if (bytes[i] == '\n') {
                if (bytes[i - 1] == '\n') {
                    return i + 1;
                }
                if (bytes[i - 1] == '\r' && bytes[i - 2] == '\n') {
                    return i + 1;
                }
            }
        }
        return length >= 2 && bytes[1] == '\n' && bytes[0] == '\n' ? 2 : -1;
    }

    /** The status line and header fields of {@code head} (lines ending in CRLF or LF). */
    static BasicHttpResponse parse(String head) throws IOException {
        String[] lines = head.split("\r?\n");
        String status = lines.length == 0 ? "" : lines[0];
        if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x status line: '" + abbreviate(status) + "'");
        }
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status code in '" + abbreviate(status) + "'");
        }
        if (code < 100 || code > 999) {
            throw new IOException("bad status code in '" + abbreviate(status) + "'");
        }
        String reason = status.length() > 13 ? status.substring(13) : null;
        BasicHttpResponse response = new BasicHttpResponse(code, reason);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(0)) || Character.isWhitespace(line.charAt(colon - 1))) {
                throw new IOException("bad header line '" + abbreviate(line) + "'");
            }
            response.addHeader(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return response;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
