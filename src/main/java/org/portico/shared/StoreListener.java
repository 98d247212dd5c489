package org.portico.shared;

import java.util.List;

/**
 * Hears what happens under a watched directory of a {@link SharedState}. The engine calls it from its own threads,
 * possibly more than one: implementations hand the calls to one thread of their own. A change may be delivered
 * twice (after a resync): {@link StoreEntry#version()} tells which is newer.
 */
public interface StoreListener {

    /** A key was created or changed. */
    void changed(StoreEntry entry);

    /** A key was deleted (or its lease or session ended). */
    void deleted(String key);

    /**
     * Every key under the directory as it is now: at the start, after a reconnect and whenever the engine lost track
     * of changes (etcd's compaction). Keys absent here are gone.
     */
    void resynced(List<StoreEntry> all);

    /** The connection to the store came up ({@code true}) or was lost. */
    void connection(boolean up);
}
