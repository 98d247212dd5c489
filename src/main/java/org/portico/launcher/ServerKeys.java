package org.portico.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

/**
 * The TLS listener's key and certificate chain, read from a PKCS#12 keystore or PEM files before Jetty starts,
 * so that a wrong file or password is one line naming it rather than a failed handshake later. Immutable.
 */
record ServerKeys(KeyStore store, char[] password) {

    /** A key or certificate that cannot be used; its message is the one line the user sees. */
    static final class Refused extends Exception {

        Refused(String message) {
            super(message);
        }
    }

    static ServerKeys load(TlsOptions tls) throws Refused {
        return tls.pem() ? PemKeyStore.read(tls.cert(), tls.key()) : fromKeystore(tls);
    }

    private static ServerKeys fromKeystore(TlsOptions tls) throws Refused {
        char[] password = password(tls);
        Path file = tls.keystore();
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new Refused("--keystore " + file + ": no such file");
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new Refused("--keystore " + file + ": wrong password (from " + tls.passwordFrom() + ")");
            }
            throw new Refused("--keystore " + file + ": not a PKCS#12 keystore (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new Refused("--keystore " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return new ServerKeys(store, password);
                }
            }
        } catch (KeyStoreException e) {
            throw new Refused("--keystore " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        throw new Refused("--keystore " + file + ": holds no private key, only certificates (a trust store?)");
    }

    private static char[] password(TlsOptions tls) throws Refused {
        if (tls.passwordFile() == null) {
            return tls.password().toCharArray();
        }
        try {
            String text = Files.readString(tls.passwordFile(), StandardCharsets.UTF_8);
            // the first line, as `echo secret > file` writes it
            int eol = text.indexOf('\n');
            return (eol < 0 ? text : text.substring(0, eol)).replace("\r", "").toCharArray();
        } catch (NoSuchFileException e) {
            throw new Refused("--keystore-password-file " + tls.passwordFile() + ": no such file");
        } catch (IOException e) {
            throw new Refused("--keystore-password-file " + tls.passwordFile() + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
