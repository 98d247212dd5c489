package org.portico.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key store made in memory from PEM files, as web servers are usually given them (Let's Encrypt's
 * {@code fullchain.pem} and {@code privkey.pem}): Jetty 12.0 reads only key stores, so the JDK's own
 * {@link CertificateFactory} reads the chain and {@link KeyFactory} the unencrypted PKCS#8 key. Older key
 * formats are refused with the openssl command that converts them, rather than parsed by hand.
 */
final class PemKeyStore {

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    /** The in-memory store's password: the store never leaves this process. */
    private static final char[] IN_MEMORY = "portico".toCharArray();

    private PemKeyStore() {
    }

    static ServerKeys read(Path certFile, Path keyFile) throws ServerKeys.Refused {
        List<Certificate> chain = chain(certFile);
        PrivateKey key = key(keyFile, chain.get(0).getPublicKey());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("portico", key, IN_MEMORY, chain.toArray(new Certificate[0]));
            return new ServerKeys(store, IN_MEMORY.clone());
        } catch (GeneralSecurityException | IOException e) {
            throw new ServerKeys.Refused("--tls-key " + keyFile + " and --tls-cert " + certFile + ": cannot be used together ("
                    + e.getMessage() + ")");
        }
    }

    private static List<Certificate> chain(Path file) throws ServerKeys.Refused {
        try (InputStream in = Files.newInputStream(file)) {
            List<Certificate> chain = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (chain.isEmpty()) {
                throw new ServerKeys.Refused("--tls-cert " + file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return chain;
        } catch (NoSuchFileException e) {
            throw new ServerKeys.Refused("--tls-cert " + file + ": no such file");
        } catch (CertificateException e) {
            throw new ServerKeys.Refused("--tls-cert " + file + ": not a PEM certificate chain (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new ServerKeys.Refused("--tls-cert " + file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey key(Path file, PublicKey certified) throws ServerKeys.Refused {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new ServerKeys.Refused("--tls-key " + file + ": no such file");
        } catch (IOException e) {
            throw new ServerKeys.Refused("--tls-key " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        Matcher pkcs8 = PKCS8.matcher(text);
        if (!pkcs8.find()) {
            throw new ServerKeys.Refused("--tls-key " + file + ": " + whyNotPkcs8(text, file));
        }
        PrivateKey key;
        try {
            byte[] der = Base64.getMimeDecoder().decode(pkcs8.group(1).replaceAll("\\s", ""));
            key = KeyFactory.getInstance(certified.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ServerKeys.Refused("--tls-key " + file + ": not a PKCS#8 " + certified.getAlgorithm()
                    + " key, the kind of key --tls-cert certifies (" + e.getMessage() + ")");
        }
        if (!belongTogether(key, certified)) {
            throw new ServerKeys.Refused("--tls-key " + file + ": is not the key of the first certificate in --tls-cert");
        }
        return key;
    }

    private static String whyNotPkcs8(String text, Path file) {
        Matcher begin = BEGIN.matcher(text);
        if (!begin.find()) {
            return "holds no PEM private key (-----BEGIN PRIVATE KEY-----)";
        }
        String kind = begin.group(1);
        if (kind.equals("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")) {
            return "is encrypted; give an unencrypted PKCS#8 key (openssl pkcs8 -topk8 -nocrypt -in " + file
                    + " -out key.pem) or a PKCS#12 keystore with --keystore";
        }
        if (kind.endsWith(" PRIVATE KEY")) {
            return "is a " + kind.substring(0, kind.length() - " PRIVATE KEY".length()) + " key in its own format ("
                    + begin.group() + "); convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem";
        }
        return "holds " + begin.group() + ", not a private key (-----BEGIN PRIVATE KEY-----)";
    }

    /** Whether {@code key} signs what {@code certified} verifies: a mismatched pair would fail every handshake. */
    private static boolean belongTogether(PrivateKey key, PublicKey certified) {
        String algorithm = switch (certified.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // no check known for this kind of key: the handshake will tell
        }
        try {
            byte[] probe = "portico".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
