package org.portico.shared;

/**
 * One compare-and-set write of a {@link SharedState#commit}.
 *
 * @param expectedVersion the version the writer saw ({@link StoreEntry#version()}), 0 when it saw no such key
 */
public record StoreWrite(String key, String value, long expectedVersion) {
}
