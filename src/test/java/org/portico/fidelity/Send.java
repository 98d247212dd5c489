package org.portico.fidelity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request of a scenario, as the raw bytes a client writes (ISO-8859-1 text, CRLF line ends).
 * {@code {front}} in it stands for the host:port of the side it is sent to, {@code {b1}} ... for a
 * backend's origin, as in configurations. Made by {@link #get} and friends, refined with the
 * {@code with...} methods; immutable.
 *
 * @param timeCompared whether the time until the answer is part of what is compared
 * @param step when not null, this is no request but a {@link Step} taken at this point of the scenario
 */
public record Send(String method, String target, List<String> headerLines, byte[] body, boolean chunked, String raw,
                   boolean timeCompared, Step step) {

    /** Every request built here says who sends it, so that User-Agent shows only where a scenario leaves it out. */
    public static final String USER_AGENT = "User-Agent: fidelity-kit/1";

    public Send {
        headerLines = List.copyOf(headerLines);
    }

    public static Send request(String method, String target) {
        return new Send(method, target, List.of("Host: {front}", USER_AGENT), new byte[0], false, null, false, null);
    }

    public static Send get(String target) {
        return request("GET", target);
    }

    public static Send head(String target) {
        return request("HEAD", target);
    }

    /** A POST with {@code body} and its Content-Length. */
    public static Send post(String target, String body) {
        return request("POST", target).withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Exactly these bytes (with placeholders), nothing added. */
    public static Send raw(String text) {
        return new Send(null, null, List.of(), new byte[0], false, text, false, null);
    }

    /** Not a request: {@code step} is taken at this point of the scenario. */
    static Send step(Step step) {
        return new Send(null, null, List.of(), new byte[0], false, null, false, step);
    }

    /** Adds a header line {@code "Name: value"}. */
    public Send with(String headerLine) {
        List<String> lines = new ArrayList<>(headerLines);
        lines.add(headerLine);
        return new Send(method, target, lines, body, chunked, raw, timeCompared, null);
    }

    /** Removes every header line whose name is {@code name}. */
    public Send without(String name) {
        List<String> lines = headerLines.stream()
                .filter(l -> !l.regionMatches(true, 0, name + ":", 0, name.length() + 1)).toList();
        return new Send(method, target, lines, body, chunked, raw, timeCompared, null);
    }

    /** A body sent with Content-Length. */
    public Send withBody(byte[] bytes) {
        return new Send(method, target, headerLines, bytes, false, raw, timeCompared, null);
    }

    /** The body sent chunked, in chunks of 8 KiB. */
    public Send chunked(byte[] bytes) {
        return new Send(method, target, headerLines, bytes, true, raw, timeCompared, null);
    }

    /** Compare the time the answer took too (in coarse buckets). */
    public Send timed() {
        return new Send(method, target, headerLines, body, chunked, raw, true, null);
    }

    /** The request line, for reports. */
    public String summary() {
        if (step != null) {
            return step.summary();
        }
        if (raw != null) {
            String first = raw.lines().findFirst().orElse("");
            return first.length() > 80 ? first.substring(0, 80) + "..." : first;
        }
        return method + " " + target;
    }

    /** The bytes to write, placeholders still in (ISO-8859-1 text). */
    String text() {
        if (raw != null) {
            return raw;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String line : headerLines) {
            sb.append(line).append("\r\n");
        }
        String bodyText = new String(body, StandardCharsets.ISO_8859_1);
        if (chunked) {
            sb.append("Transfer-Encoding: chunked\r\n\r\n");
            int chunk = 8192;
            for (int i = 0; i < bodyText.length(); i += chunk) {
                String part = bodyText.substring(i, Math.min(bodyText.length(), i + chunk));
                sb.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
            }
            sb.append("0\r\n\r\n");
        } else {
            if (body.length > 0 || "POST".equals(method) || "PUT".equals(method)) {
                sb.append("Content-Length: ").append(body.length).append("\r\n");
            }
            sb.append("\r\n").append(bodyText);
        }
        return sb.toString();
    }
}
