package org.portico.shared;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link SharedState} in memory for the unit tests: one global revision as etcd keeps it, compare-and-set under one
 * lock, and the watch told synchronously on the committing thread. {@link #down()} and {@link #up()} play an outage.
 */
final class MemoryStore implements SharedState {

    private final TreeMap<String, StoreEntry> entries = new TreeMap<>();
    private long revision;
    private volatile boolean connected = true;
    private StoreListener listener;

    @Override
    public synchronized List<StoreEntry> list(String dir) throws StoreUnavailableException {
        check();
        return new ArrayList<>(entries.tailMap(dir + "/").headMap(dir + "0").values());
    }

    @Override
    public Map<String, Long> commit(List<StoreWrite> writes) throws StoreConflictException, StoreUnavailableException {
        List<StoreEntry> made = new ArrayList<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        synchronized (this) {
            check();
            for (StoreWrite w : writes) {
                StoreEntry now = entries.get(w.key());
                if ((now == null ? 0 : now.version()) != w.expectedVersion()) {
                    throw new StoreConflictException(w.key(), now);
                }
            }
            revision++;
            for (StoreWrite w : writes) {
                StoreEntry e = new StoreEntry(w.key(), w.value(), revision);
                entries.put(w.key(), e);
                made.add(e);
                versions.put(w.key(), revision);
            }
        }
        made.forEach(e -> listener.changed(e));
        return versions;
    }

    /** Puts a value as another instance would, without compare-and-set. */
    void put(String key, String value) {
        StoreEntry e;
        synchronized (this) {
            e = new StoreEntry(key, value, ++revision);
            entries.put(key, e);
        }
        listener.changed(e);
    }

    @Override
    public void watch(String dir, StoreListener l) {
        this.listener = l;
        l.connection(true);
        List<StoreEntry> all;
        synchronized (this) {
            all = new ArrayList<>(entries.values());
        }
        l.resynced(all);
    }

    @Override
    public void putEphemeral(String key, String value) throws StoreUnavailableException {
        check();
        put(key, value);
    }

    void down() {
        connected = false;
        listener.connection(false);
    }

    void up() {
        connected = true;
        listener.connection(true);
        List<StoreEntry> all;
        synchronized (this) {
            all = new ArrayList<>(entries.values());
        }
        listener.resynced(all);
    }

    private void check() throws StoreUnavailableException {
        if (!connected) {
            throw new StoreUnavailableException("memory store is down", null);
        }
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void close() {
    }
}
