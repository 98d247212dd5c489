package org.portico.config;

import java.nio.file.Path;

/** A key store of trusted certificates for https:// workers with private certificates. */
public record TrustStoreConfig(String id, Path path, String password, String type) {

    @Override
    public String toString() {
        return "TrustStoreConfig[" + id + ", " + path + ", " + type + "]";
    }
}
