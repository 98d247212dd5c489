package org.portico.launcher;

import java.nio.file.Path;

/**
 * The jar's TLS listener as the command line gives it: its port and where its key and certificate chain come
 * from, either a PKCS#12 keystore ({@code keystore} with {@code password} or {@code passwordFile}) or PEM files
 * ({@code cert} and {@code key}). Nothing is read yet: {@link ServerKeys} reads the files, so a file that is
 * missing or wrong is a configuration error, not a usage error. Immutable.
 *
 * @param password     the keystore's password from --keystore-password or PORTICO_KEYSTORE_PASSWORD; null when
 *                     it comes from {@code passwordFile} or the keystore is not used
 * @param passwordFrom where the password comes from, for error messages (never the password itself)
 */
record TlsOptions(int port, Path keystore, String password, Path passwordFile, String passwordFrom, Path cert, Path key) {

    /** The environment variable that holds the keystore's password, so it need not be on the command line. */
    static final String PASSWORD_ENV = "PORTICO_KEYSTORE_PASSWORD";

    boolean pem() {
        return cert != null;
    }

    @Override
    public String toString() {
        // never the password
        return "https port " + port + (pem() ? " with " + cert + " and " + key : " with " + keystore);
    }
}
