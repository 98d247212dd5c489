package org.portico.balancer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * httpd's {@code HeartbeatStorage} file, as mod_heartmonitor writes it and mod_lbmethod_heartbeat
 * reads it: one line per backend, {@code <ip> busy=..&ready=..&lastseen=..&port=..}.
 *
 * <p>The descriptor has no place for the path yet, so {@link #fromSystemProperty()} takes it from the
 * system property {@value #PROPERTY} (default {@value #DEFAULT_PATH}, like httpd's default; a relative
 * path is resolved against the JVM's working directory, where httpd uses its ServerRoot).
 *
 * <p>Thread-safe. The file is parsed again only when its modification time, size or identity
 * changed, so a selection normally costs one {@code stat}.
 */
public final class HeartbeatStorage {

    public static final String PROPERTY = "portico.heartbeat-storage";
    public static final String DEFAULT_PATH = "logs/hb.dat";
    /** A heartbeat file lists a few hundred servers at most; anything bigger is not one. */
    static final long MAX_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatStorage.class);

    /**
     * One backend's last heartbeat.
     *
     * @param ready idle worker threads, already divided by 4 when nothing was busy (as httpd does:
     *              a server with nothing busy is assumed to be just starting)
     * @param lastSeen seconds between the heartbeat and the file's update; -1 when the line has none
     */
    public record Server(String ip, int busy, int ready, int lastSeen, int port) {
    }

    private final Path file;
    private Snapshot cached;
    private boolean warned;

    private record Snapshot(Object version, Map<String, Server> servers) {
    }

    public HeartbeatStorage(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The storage named by {@value #PROPERTY}, or {@value #DEFAULT_PATH}. */
    public static HeartbeatStorage fromSystemProperty() {
        return new HeartbeatStorage(Path.of(System.getProperty(PROPERTY, DEFAULT_PATH)));
    }

    public Path file() {
        return file;
    }

    /** The servers by IP as the file says now, or null when it cannot be read (httpd then answers 503). */
    public synchronized Map<String, Server> read() {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            Object version = List.of(attrs.lastModifiedTime(), attrs.size(),
                    attrs.fileKey() == null ? "" : attrs.fileKey());
            if (cached != null && cached.version.equals(version)) {
                return cached.servers;
            }
            if (attrs.size() > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes: not a heartbeat storage file");
            }
            Map<String, Server> servers = parse(Files.readString(file, StandardCharsets.ISO_8859_1));
            cached = new Snapshot(version, servers);
            warned = false;
            return servers;
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                LOG.warn("heartbeat storage {} cannot be read ({}): balancers using lbmethod heartbeat answer 503"
                        + " until it can (set -D{} to its path)", file.toAbsolutePath(), e.toString(), PROPERTY);
                warned = true;
            }
            cached = null;
            return null;
        }
    }

    /**
     * Parses the file's text as httpd does: a line is an IP, a space and a query string; a key without
     * {@code =} means 1; numbers are read like C's {@code atoi} (garbage is 0); a later line for the
     * same IP updates the fields it names. Lines without a space, blank lines and {@code #} comments are
     * skipped. Never throws on malformed text.
     */
    public static Map<String, Server> parse(String text) {
        Map<String, int[]> fields = new LinkedHashMap<>();
        text.lines().forEach(line -> {
            int space = line.indexOf(' ');
            if (line.isEmpty() || line.charAt(0) == '#' || space <= 0) {
                return;
            }
            // busy, ready, lastseen, port, starting from httpd's defaults for a new server
            int[] f = fields.computeIfAbsent(line.substring(0, space), k -> new int[] {0, 0, -1, 80});
            Map<String, String> params = queryString(line.substring(space + 1));
            apply(params, "busy", f, 0);
            apply(params, "ready", f, 1);
            apply(params, "lastseen", f, 2);
            apply(params, "port", f, 3);
            if (f[0] == 0 && f[1] != 0) {
                f[1] = f[1] / 4;
            }
        });
        Map<String, Server> servers = new LinkedHashMap<>();
        fields.forEach((ip, f) -> servers.put(ip, new Server(ip, f[0], f[1], f[2], f[3])));
        return Collections.unmodifiableMap(servers);
    }

    private static void apply(Map<String, String> params, String key, int[] fields, int index) {
        String v = params.get(key);
        if (v != null) {
            fields[index] = atoi(v);
        }
    }

    private static Map<String, String> queryString(String qs) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : qs.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            params.put(key.toLowerCase(Locale.ROOT), eq < 0 ? "1" : pair.substring(eq + 1));
        }
        return params;
    }

    /** C's atoi: optional blanks and sign, then digits; anything else ends the number; clamped to int. */
    static int atoi(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            value = Math.min(value * 10 + (s.charAt(i) - '0'), (long) Integer.MAX_VALUE + 1);
            i++;
        }
        value = negative ? -value : value;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
