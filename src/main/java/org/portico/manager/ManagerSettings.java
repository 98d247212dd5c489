package org.portico.manager;

import jakarta.servlet.ServletContext;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.portico.config.Durations;

/**
 * The balancer-manager's settings. Each is a context param in {@code web.xml} (or the container's
 * context configuration); a system property of the same name overrides it, as for the descriptor.
 *
 * @param persist {@code portico.balancer-persist}: write every change to {@code stateFile} and restore
 *                it at start-up (httpd's BalancerPersist)
 * @param stateFile {@code portico.state-file}: default {@value #DEFAULT_FILE_NAME} in the container's
 *                  temp dir for this web app
 * @param reset {@code portico.balancer-persist-reset}: delete the saved state at start-up
 * @param sampleInterval {@code portico.manager-sample-interval}: how often the live picture samples
 *                       each worker's counters (default 5s)
 * @param allow {@code portico.manager-allow}: the client addresses the manager answers; null: any
 */
record ManagerSettings(boolean persist, Path stateFile, boolean reset, Duration sampleInterval, AddressAllowList allow) {

    static final String PERSIST = "portico.balancer-persist";
    static final String STATE_FILE = "portico.state-file";
    static final String RESET = "portico.balancer-persist-reset";
    static final String SAMPLE_INTERVAL = "portico.manager-sample-interval";
    static final String ALLOW = "portico.manager-allow";
    static final String DEFAULT_FILE_NAME = "portico-balancers.state";

    static ManagerSettings from(ServletContext context) {
        boolean persist = bool(value(context, PERSIST), PERSIST);
        boolean reset = bool(value(context, RESET), RESET);
        String file = value(context, STATE_FILE);
        Path stateFile = file != null && !file.isBlank() ? Path.of(file.trim()) : defaultStateFile(context);
        String interval = value(context, SAMPLE_INTERVAL);
        Duration sample = Duration.ofSeconds(5);
        if (interval != null && !interval.isBlank()) {
            sample = Durations.parse(interval);
            if (sample.toMillis() < 100 || sample.toMinutes() > 1) {
                throw new IllegalArgumentException(SAMPLE_INTERVAL + " '" + interval + "' is out of range: use 100ms to 1m");
            }
        }
        return new ManagerSettings(persist, stateFile, reset, sample, AddressAllowList.parse(ALLOW, value(context, ALLOW)));
    }

    private static String value(ServletContext context, String name) {
        String v = System.getProperty(name);
        return v != null ? v : context.getInitParameter(name);
    }

    private static boolean bool(String v, String name) {
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException(name + " '" + v + "' is not a boolean: use true or false");
        };
    }

    private static Path defaultStateFile(ServletContext context) {
        Object dir = context.getAttribute(ServletContext.TEMPDIR);
        if (dir == null) {
            dir = context.getAttribute("javax.servlet.context.tempdir");
        }
        Path base = dir instanceof File f ? f.toPath() : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve(DEFAULT_FILE_NAME);
    }
}
