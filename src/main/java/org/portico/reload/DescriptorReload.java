package org.portico.reload;

import java.nio.file.Path;
import java.time.Instant;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.proxy.Gateway;
import org.portico.proxy.LiveGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the descriptor into the running proxy: loads and validates it again from where it came from, and
 * when it is good swaps the next generation in ({@link LiveGateway#reload}); when it is bad the running
 * generation goes on and the log says {@code file:line:column: problem}. Every attempt, whoever asked, logs one
 * line and is kept as {@link #last()} for the balancer-manager. In watch mode a {@link DescriptorWatch} asks on
 * its own. Thread-safe: attempts run one at a time.
 */
public final class DescriptorReload implements AutoCloseable {

    /** The servlet-context attribute holding the instance the lifecycle made. */
    public static final String ATTRIBUTE = DescriptorReload.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorReload.class);

    /** Where the descriptor is loaded from. */
    public interface Source {

        /** Loads and validates the descriptor as it is now. */
        Descriptor load() throws DescriptorException;

        /** The file to watch, or null when the descriptor is not a file of its own (a resource inside the WAR). */
        Path file();
    }

    /**
     * One reload attempt.
     *
     * @param applied whether the new descriptor runs now
     * @param generation the generation running after the attempt
     * @param message what changed, or why nothing did ({@code file:line:column: problem})
     */
    public record Outcome(boolean applied, long generation, String message, Instant at, String by) {
    }

    private final LiveGateway live;
    private final Source source;
    private final ReloadSettings settings;
    private volatile Outcome last;
    private DescriptorWatch watch;
    private boolean closed;

    public DescriptorReload(LiveGateway live, Source source, ReloadSettings settings) {
        this.live = live;
        this.source = source;
        this.settings = settings;
    }

    /** In watch mode, starts watching the file (a descriptor that is no file is only reloaded by hand, with a warning). */
    public synchronized void start() {
        if (closed || settings.mode() != ReloadSettings.Mode.WATCH || watch != null) {
            return;
        }
        Path file = source.file();
        if (file == null) {
            LOG.warn("{}=watch: the descriptor is not a file of its own, so it is not watched; reload it from the"
                    + " balancer-manager", ReloadSettings.MODE);
            return;
        }
        watch = new DescriptorWatch(file, () -> reload("file change"));
        watch.start(settings.interval());
        LOG.info("Watching {} for changes every {} ms ({}=watch)", file, settings.interval().toMillis(), ReloadSettings.MODE);
    }

    public ReloadSettings settings() {
        return settings;
    }

    /** The latest attempt, or null when there was none. */
    public Outcome last() {
        return last;
    }

    /**
     * Loads the descriptor again and swaps it in when it is good.
     *
     * @param by who asked, for the log: a user name or "file change"
     */
    public synchronized Outcome reload(String by) {
        Gateway running = live.current();
        if (closed) {
            return new Outcome(false, running.generation(), "the web app is stopping", Instant.now(), by);
        }
        Outcome outcome;
        try {
            Descriptor next = source.load();
            LiveGateway.Swap swap = live.reload(next);
            for (String warning : next.warnings()) {
                LOG.warn(warning);
            }
            outcome = new Outcome(true, swap.generation(), swap.toString(), Instant.now(), by);
            LOG.info("Portico descriptor reloaded from {} ({}): {}", next.source(), by, swap);
        } catch (DescriptorException e) {
            outcome = new Outcome(false, running.generation(), e.getMessage(), Instant.now(), by);
            LOG.error("Portico descriptor reload ({}) refused, generation {} goes on: {}", by, running.generation(),
                    e.getMessage());
        } catch (RuntimeException e) {
            // e.g. a trust store that cannot be read: the new generation was not built, the running one goes on
            outcome = new Outcome(false, running.generation(), e.toString(), Instant.now(), by);
            LOG.error("Portico descriptor reload ({}) failed, generation {} goes on: {}", by, running.generation(),
                    e.toString(), e);
        }
        last = outcome;
        return outcome;
    }

    /** Stops watching; no reload runs after this returns. */
    @Override
    public void close() {
        DescriptorWatch w;
        synchronized (this) {
            closed = true;
            w = watch;
            watch = null;
        }
        if (w != null) {
            w.close(); // outside the lock: the watch thread may be waiting for it to reload
        }
    }
}
