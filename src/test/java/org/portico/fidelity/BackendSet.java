package org.portico.fidelity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portico.testkit.Backend;
import org.portico.testkit.FlappingBackend;
import org.portico.testkit.MisbehavingBackend;
import org.portico.testkit.RecordedRequest;

/**
 * The loopback backends every configuration may name, shared by httpd and Portico: six recording
 * {@link Backend}s {@code b1}..{@code b6}, a {@link CannedBackend}, two {@link MisbehavingBackend}s
 * ({@code garbage}: a status line that is not HTTP; {@code badheader}: a header line without a colon;
 * {@code silent}: reads the request and never answers, not even a 100 Continue)
 * and {@code dead} and {@code dead2}, ports where nothing listens, and four {@link FlappingBackend}s
 * {@code hc1}..{@code hc4} whose health a scenario switches (their requests are not recorded: health
 * checks arrive at any time). Both sides send to the same backends, one request
 * at a time, so what arrived during one request is what that side sent.
 */
final class BackendSet implements AutoCloseable {

    private final List<Backend> recording = new ArrayList<>();
    private final CannedBackend canned;
    private final MisbehavingBackend garbage;
    private final MisbehavingBackend badHeader;
    private final MisbehavingBackend silent;
    private final int deadPort;
    private final int deadPort2;
    private final Map<String, FlappingBackend> flapping = new LinkedHashMap<>();
    /** Placeholder ({@code b1}, {@code b1.hostport}, {@code dead}...) to its value. */
    private final Map<String, String> placeholders = new LinkedHashMap<>();
    /** Port number to the name that replaces it in what is compared. */
    private final Map<Integer, String> portNames = new LinkedHashMap<>();

    BackendSet() throws Exception {
        for (int i = 1; i <= 6; i++) {
            recording.add(Backend.start("b" + i));
        }
        canned = CannedBackend.start();
        garbage = MisbehavingBackend.start(MisbehavingBackend.Mode.GARBAGE_STATUS_LINE);
        badHeader = MisbehavingBackend.start(MisbehavingBackend.Mode.BAD_HEADER_LINE);
        silent = MisbehavingBackend.start(MisbehavingBackend.Mode.SILENT);
        deadPort = MisbehavingBackend.refusedPort();
        int second = MisbehavingBackend.refusedPort();
        while (second == deadPort) {
            second = MisbehavingBackend.refusedPort();
        }
        deadPort2 = second;
        for (Backend b : recording) {
            name(b.name(), b.port());
        }
        name("canned", canned.port());
        name("garbage", garbage.port());
        name("badheader", badHeader.port());
        name("silent", silent.port());
        name("dead", deadPort);
        name("dead2", deadPort2);
        for (int i = 1; i <= 4; i++) {
            FlappingBackend f = FlappingBackend.start("hc" + i);
            flapping.put(f.name(), f);
            name(f.name(), f.port());
        }
    }

    /** The flapping backend called {@code name}. */
    FlappingBackend flapping(String name) {
        FlappingBackend f = flapping.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no flapping backend " + name + ": " + flapping.keySet());
        }
        return f;
    }

    private void name(String name, int port) {
        placeholders.put(name, "http://127.0.0.1:" + port);
        placeholders.put(name + ".hostport", "127.0.0.1:" + port);
        placeholders.put(name + ".port", String.valueOf(port));
        portNames.put(port, name);
    }

    /** {@code text} with every {@code {name}} placeholder of a backend replaced. */
    String fill(String text) {
        String out = text;
        for (Map.Entry<String, String> e : placeholders.entrySet().stream()
                .sorted((a, b) -> b.getKey().length() - a.getKey().length()).toList()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    Map<Integer, String> portNames() {
        return portNames;
    }

    /** How many requests each recording backend (and the canned one) holds now. */
    Map<String, Integer> marks() {
        Map<String, Integer> marks = new LinkedHashMap<>();
        for (Backend b : recording) {
            marks.put(b.name(), b.received().size());
        }
        marks.put("canned", canned.received().size());
        return marks;
    }

    /** What arrived since {@code marks}, backend by backend in name order. */
    List<RecordedRequest> since(Map<String, Integer> marks) {
        List<RecordedRequest> out = new ArrayList<>();
        for (Backend b : recording) {
            List<RecordedRequest> all = b.received();
            out.addAll(all.subList(marks.get(b.name()), all.size()));
        }
        List<RecordedRequest> all = canned.received();
        out.addAll(all.subList(marks.get("canned"), all.size()));
        return out;
    }

    /** Answers every parked /hold request. */
    void releaseHeld() {
        recording.forEach(Backend::releaseHeld);
    }

    @Override
    public void close() throws Exception {
        for (Backend b : recording) {
            b.close();
        }
        canned.close();
        garbage.close();
        badHeader.close();
        silent.close();
        for (FlappingBackend f : flapping.values()) {
            f.close();
        }
    }
}
