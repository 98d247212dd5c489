package org.portico.shared;

import java.util.List;
import java.util.Map;

/**
 * A consistent store that several Portico instances share (etcd, ZooKeeper), reduced to what Portico needs:
 * listing a directory, atomic compare-and-set writes, a watch that survives reconnects, and keys that live only as
 * long as this instance does. An implementation comes from a {@link SharedStateEngine} found with
 * {@link java.util.ServiceLoader}, so Portico's core has no dependency on any store's client library.
 *
 * <p>Thread-safe. No call blocks longer than a few seconds: a store that does not answer makes it throw
 * {@link StoreUnavailableException}. Keys are full paths ({@code /prefix/v1/...}) without a trailing slash.
 */
public interface SharedState extends AutoCloseable {

    /** Every entry whose key starts with {@code dir + "/"}, at one moment. */
    List<StoreEntry> list(String dir) throws StoreUnavailableException;

    /**
     * Writes every value, or none when one key is no longer at its {@link StoreWrite#expectedVersion()}.
     *
     * @return the new version of each key written
     * @throws StoreConflictException naming the first key found at another version, with its current entry
     */
    Map<String, Long> commit(List<StoreWrite> writes) throws StoreConflictException, StoreUnavailableException;

    /**
     * Starts telling {@code listener} about every key under {@code dir}: first a {@link StoreListener#resynced} once
     * connected, then each change; after a lost connection a {@code resynced} again. Called once.
     */
    void watch(String dir, StoreListener listener);

    /**
     * Puts a key that lives while this instance is connected: on etcd a lease, on ZooKeeper an ephemeral node, so
     * that it vanishes within the address's ttl after this instance dies. Put again by the engine when a new lease
     * or session starts.
     */
    void putEphemeral(String key, String value) throws StoreUnavailableException;

    /** Whether the store answered lately. */
    boolean connected();

    /** Stops the watch, lets go of the ephemeral keys and closes the client. */
    @Override
    void close();
}
