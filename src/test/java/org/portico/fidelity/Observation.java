package org.portico.fidelity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portico.testkit.RecordedRequest;

/**
 * What one side did for one scenario, written as normalised text lines so that two sides compare with
 * {@code equals} and differ in a readable diff: per request, the response the client got and what each
 * backend received. Always left aside: Date, Server, Connection and Keep-Alive, the case and order of
 * header names (the order of repeated headers is kept), and port numbers (the front's becomes
 * {@code FRONT}, a backend's its name); the scenario's {@link Normaliser}s leave aside more.
 */
final class Observation {

    /** Connection-level or per-server headers, never compared. */
    private static final Set<String> DROPPED = Set.of("date", "server", "connection", "keep-alive");
    /**
     * An answer within this counts as on time for a 1 s timeout on a busy machine (the kit starts the next
     * configurations' httpd and jar on the same cores meanwhile); a timeout not applied shows as an answer after
     * the held backends are let go, 5 s in.
     */
    static final long ON_TIME_MILLIS = 3_500;
    /** Headers that go with the proxy's own page: its type, and the Cache-Control Jetty's error pages carry. */
    private static final Set<String> PAGE_HEADERS = Set.of("content-type", "cache-control");
    private static final Pattern ECHO_FIRST_LINE = Pattern.compile("[A-Z]+ /\\S*");

    private final Set<Normaliser> normalisers;
    private final int frontPort;
    private final Map<Integer, String> portNames;
    private final List<String> lines = new ArrayList<>();
    /** Facts shown in the report but not compared, such as measured times. */
    private final List<String> details = new ArrayList<>();

    Observation(Set<Normaliser> normalisers, int frontPort, Map<Integer, String> portNames) {
        this.normalisers = normalisers;
        this.frontPort = frontPort;
        this.portNames = portNames;
    }

    /** A side that could not be run at all. */
    static String unavailable(String why) {
        return "not run: " + why;
    }

    void add(int index, Send send, WireClient.Answer answer, List<RecordedRequest> received) {
        boolean sequence = normalisers.contains(Normaliser.SEQUENCE);
        if (sequence) {
            String status = answer.statusLine() == null ? answer.failure() : code(answer.statusLine());
            String member = answer.header("X-Backend");
            lines.add(index + ": " + status + (member == null ? "" : " " + member));
            return;
        }
        lines.add("> " + send.summary());
        response(send, answer);
        if (received.isEmpty()) {
            lines.add("no backend received anything");
        }
        for (RecordedRequest r : received) {
            lines.add(r.backend() + " received: " + r.method() + " " + r.target());
            headers(r.headers());
            body(r.body(), true);
        }
    }

    /** A request not sent because an earlier one of the scenario got no answer. */
    /** A {@link Step} taken between requests, and its outcome. */
    void step(int index, String summary, String outcome) {
        lines.add(index + ": " + summary + ": " + outcome);
    }

    void skipped(int index, Send send) {
        lines.add(normalisers.contains(Normaliser.SEQUENCE) ? index + ": not sent" : "> " + send.summary() + ": not sent");
    }

    private void response(Send send, WireClient.Answer answer) {
        answer.interim().forEach(l -> lines.add("interim " + l));
        if (answer.statusLine() == null) {
            lines.add("no response: " + answer.failure());
            return;
        }
        lines.add(normalisers.contains(Normaliser.REASON_PHRASE) ? code(answer.statusLine()) : answer.statusLine());
        boolean fromBackend = answer.header("X-Backend") != null;
        boolean hidePage = !fromBackend && normalisers.contains(Normaliser.ERROR_PAGE_TEXT);
        String bodyText = new String(answer.body(), StandardCharsets.ISO_8859_1);
        boolean echo = fromBackend && ECHO_FIRST_LINE.matcher(bodyText.lines().findFirst().orElse("")).matches();
        List<RecordedRequest.Field> shown = answer.headers().stream()
                .filter(f -> !(hidePage || echo) || !f.name().equalsIgnoreCase("Content-Length"))
                .filter(f -> !hidePage || !PAGE_HEADERS.contains(f.name().toLowerCase(Locale.ROOT)))
                .toList();
        headers(shown);
        if (hidePage) {
            lines.add("body: the proxy's own page (not compared here)");
        } else if (echo) {
            lines.add("body: the backend's echo of the request (compared below)");
        } else {
            body(answer.body(), answer.complete());
        }
        details.add(send.summary() + ": answered after " + answer.millis() + " ms");
        if (send.timeCompared()) {
            lines.add(answer.millis() < ON_TIME_MILLIS ? "time: within " + ON_TIME_MILLIS + " ms"
                    : "time: " + ON_TIME_MILLIS + " ms or more");
        }
    }

    private void headers(List<RecordedRequest.Field> fields) {
        fields.stream()
                .map(f -> new RecordedRequest.Field(f.name().toLowerCase(Locale.ROOT), f.value()))
                .filter(f -> !DROPPED.contains(f.name()))
                .sorted(Comparator.comparing(RecordedRequest.Field::name)) // stable: repeated headers keep their order
                .forEach(f -> lines.add("  " + f.name() + ": " + value(f)));
    }

    private String value(RecordedRequest.Field f) {
        if (f.name().equals("content-type") && normalisers.contains(Normaliser.CONTENT_TYPE_SPACING)) {
            return f.value().toLowerCase(Locale.ROOT).replaceAll("\\s*;\\s*", "; ");
        }
        return f.value();
    }

    private void body(byte[] body, boolean complete) {
        String state = complete ? "" : ", incomplete";
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (body.length == 0) {
            lines.add("  body: none" + state);
        } else if (body.length <= 2000 && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t')) {
            lines.add("  body (" + body.length + " bytes" + state + "):");
            text.lines().forEach(l -> lines.add("  | " + l));
        } else {
            lines.add("  body: " + body.length + " bytes" + state + ", sha-256 " + sha256(body));
        }
    }

    private static String code(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        return parts.length > 1 ? parts[0] + " " + parts[1] : statusLine;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What is shown beside the comparison and not compared: how long each answer took. */
    String details() {
        return String.join("; ", details);
    }

    /** The observation as text, ports replaced by names. */
    String text() {
        String text = String.join("\n", lines);
        text = text.replace("127.0.0.1:" + frontPort, "FRONT").replace("localhost:" + frontPort, "FRONT");
        text = replacePort(text, frontPort, "FRONTPORT");
        for (Map.Entry<Integer, String> e : portNames.entrySet()) {
            text = text.replace("127.0.0.1:" + e.getKey(), e.getValue());
            text = replacePort(text, e.getKey(), e.getValue() + ".port");
        }
        return text;
    }

    private static String replacePort(String text, int port, String name) {
        return Pattern.compile("(?<![0-9])" + port + "(?![0-9])").matcher(text).replaceAll(Matcher.quoteReplacement(name));
    }
}
