package org.portico.manager;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.portico.proxy.Gateway;
import org.portico.proxy.LiveGateway;
import org.portico.shared.SharedSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * httpd's BalancerPersist for Portico: when {@code portico.balancer-persist} is on, every manager
 * change is written to the state file (a temp file in the same directory, then an atomic rename, so a
 * crash leaves the old state or the new one, never half of one), and the state is restored when the
 * web app starts, under {@link SavedState}'s precedence rule. {@code portico.balancer-persist-reset}
 * deletes it at start-up; the manager's {@code discard_state} deletes it at run time.
 *
 * <p>Thread-safe: writes are serialised.
 */
public final class BalancerPersist {

    /** The servlet-context attribute holding the instance the lifecycle made. */
    public static final String ATTRIBUTE = BalancerPersist.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(BalancerPersist.class);

    private final ManagerSettings settings;

    BalancerPersist(ManagerSettings settings) {
        this.settings = settings;
    }

    /**
     * Called by the lifecycle right after the gateway is built, before any request: reads the manager's
     * settings, applies the reset, restores the saved state, and leaves the instance in the context for
     * the manager servlet. After each descriptor reload the state file is written again from the new
     * generation (its fingerprints and the state it kept), so that a restart finds what ran.
     *
     * @throws IllegalArgumentException when a manager setting has a bad value (the deployment fails)
     */
    public static void atStartup(ServletContext context, LiveGateway live) {
        BalancerPersist persist = new BalancerPersist(ManagerSettings.from(context));
        persist.start(live.current());
        live.onSwap(persist::saveQuietly);
        context.setAttribute(ATTRIBUTE, persist);
    }

    /**
     * With shared state on, the state file is the snapshot of the last applied store changes: written after each
     * batch the store delivers, so that an instance starting while the store is down starts where it was.
     */
    public static void follow(ServletContext context, SharedSync sync) {
        BalancerPersist persist = of(context);
        sync.afterApply(persist::saveQuietly);
    }

    /** {@link #save}, with a failure logged: a reload that ran must not fail because the state file could not be written. */
    private void saveQuietly(Gateway gateway) {
        try {
            save(gateway);
        } catch (IOException | RuntimeException e) {
            LOG.error("Balancer state {} could not be written after a descriptor reload or a shared change: {}", settings.stateFile(),
                    e.toString());
        }
    }

    /** The instance the lifecycle left, or one made now from the context's settings. */
    static BalancerPersist of(ServletContext context) {
        Object o = context.getAttribute(ATTRIBUTE);
        return o instanceof BalancerPersist p ? p : new BalancerPersist(ManagerSettings.from(context));
    }

    void start(Gateway gateway) {
        Path file = settings.stateFile();
        if (settings.reset()) {
            try {
                if (Files.deleteIfExists(file)) {
                    LOG.info("Balancer state {} deleted ({}=true): the descriptor's values apply", file, ManagerSettings.RESET);
                }
            } catch (IOException e) {
                LOG.error("Balancer state {} could not be deleted: {}", file, e.toString());
            }
        }
        if (!settings.persist()) {
            return;
        }
        if (!Files.exists(file)) {
            LOG.info("Balancer changes are persisted to {} (no saved state yet)", file);
            return;
        }
        Properties saved = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            saved.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("Balancer state {} is unreadable ({}): the descriptor's values apply", file, e.toString());
            return;
        }
        for (SavedState.Note note : SavedState.restore(saved, gateway)) {
            if (note.dropped()) {
                LOG.warn("Balancer state {}: {}", file, note.text());
            } else {
                LOG.info("Balancer state {}: {}", file, note.text());
            }
        }
    }

    boolean enabled() {
        return settings.persist();
    }

    ManagerSettings settings() {
        return settings;
    }

    /** Writes the gateway's balancers to the state file atomically; a no-op when persistence is off. */
    synchronized void save(Gateway gateway) throws IOException {
        if (!settings.persist()) {
            return;
        }
        Path file = settings.stateFile().toAbsolutePath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Properties sorted = sorted(SavedState.capture(gateway));
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                sorted.store(out, "Portico balancer-manager state. Used at start-up while each balancer's definition "
                        + "in the descriptor is unchanged;\n delete this file or set " + ManagerSettings.RESET
                        + "=true to start from the descriptor.");
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.warn("{} does not support atomic renames; replacing the state file non-atomically", dir);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes the state file; returns whether there was one. */
    synchronized boolean discard() throws IOException {
        boolean existed = Files.deleteIfExists(settings.stateFile());
        LOG.info("Balancer state {} discarded through the balancer-manager", settings.stateFile());
        return existed;
    }

    /** Properties that store themselves sorted by key, so the file reads (and diffs) well. */
    private static Properties sorted(Properties p) {
        Properties out = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Set<Map.Entry<Object, Object>> entrySet() {
                Set<Map.Entry<Object, Object>> s = new TreeSet<>(Comparator.comparing(e -> e.getKey().toString()));
                s.addAll(super.entrySet());
                return Collections.synchronizedSet(s);
            }
        };
        out.putAll(p);
        return out;
    }
}
