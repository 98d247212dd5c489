package org.portico.shared;

/**
 * One key of the store and its value at one version.
 *
 * @param key     the full key (the prefix included)
 * @param value   JSON text
 * @param version the store's version of this key: grows with every write of it, 0 only for a key that is absent
 *                (etcd: its mod revision; ZooKeeper: the node's data version plus one)
 */
public record StoreEntry(String key, String value, long version) {
}
