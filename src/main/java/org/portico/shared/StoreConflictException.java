package org.portico.shared;

/** A compare-and-set write found its key at another version than the writer saw: nothing was written. */
public final class StoreConflictException extends Exception {

    private static final long serialVersionUID = 1L;
    /** The key's current entry; null when it is absent. */
    private final transient StoreEntry current;
    private final String key;

    public StoreConflictException(String key, StoreEntry current) {
        super(key + " is at version " + (current == null ? 0 : current.version()) + " now");
        this.key = key;
        this.current = current;
    }

    public String key() {
        return key;
    }

    public StoreEntry current() {
        return current;
    }
}
