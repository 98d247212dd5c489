package org.portico.testkit;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A key pair and a self-signed certificate for 127.0.0.1 made by the JDK's keytool at test time, in a
 * PKCS#12 keystore, with what a client needs to trust exactly it and the PEM files a web server is usually
 * given.
 */
public final class SelfSignedCertificate {

    public static final String ALIAS = "server";

    private final Path keyStore;
    private final String password;

    private SelfSignedCertificate(Path keyStore, String password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** Makes {@code dir/name.p12} protected by {@code password}, certifying ip 127.0.0.1 (not localhost) for two days. */
    public static SelfSignedCertificate generate(Path dir, String name, String password) throws Exception {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", password, "-keypass", password);
        return new SelfSignedCertificate(store, password);
    }

    public Path keyStore() {
        return keyStore;
    }

    public String password() {
        return password;
    }

    /** Writes the certificate into a PKCS12 trust store (same password) holding only it. */
    public Path writeTrustStore(Path file) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(ALIAS, certificate());
        try (var out = Files.newOutputStream(file)) {
            trust.store(out, password.toCharArray());
        }
        return file;
    }

    /** A client's TLS context that trusts this certificate and nothing else. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(ALIAS, certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The certificate as PEM ({@code -----BEGIN CERTIFICATE-----}), as keytool -exportcert -rfc writes it. */
    public Path writeCertificatePem(Path file) throws Exception {
        keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(), "-storepass", password,
                "-file", file.toString());
        return file;
    }

    /** The private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as openssl writes it. */
    public Path writeKeyPem(Path file) throws Exception {
        Key key = load().getKey(ALIAS, password.toCharArray());
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
        return file;
    }

    private Certificate certificate() throws Exception {
        return load().getCertificate(ALIAS);
    }

    private KeyStore load() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
        }
    }
}
